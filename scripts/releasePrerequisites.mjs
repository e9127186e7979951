// What `npm run dist` (electron-builder with the native rebuild, electron-builder.yml) needs, checked
// before it starts so that a release builder reads one list instead of a failure deep in a build.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** @electron/rebuild and node-abi declare Node >= 22.12. */
export const MIN_NODE = [22, 12];
/** Where the native rebuild gets Electron's headers. */
export const ELECTRON_HEADERS_URL = 'https://artifacts.electronjs.org/headers/dist/index.json';

/**
 * Missing prerequisites as sentences, from facts gathered elsewhere (pure, so it can be tested).
 * @param {{ nodeVersion: string, electronBinary: boolean, headersReachable: boolean, tools: Record<string, boolean> }} facts
 * @returns {string[]}
 */
export function missingPrerequisites(facts) {
  const missing = [];
  const [major = 0, minor = 0] = facts.nodeVersion.replace(/^v/, '').split('.').map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1]))
    missing.push(`Node.js ${MIN_NODE.join('.')} or newer (this is ${facts.nodeVersion}): @electron/rebuild needs it`);
  if (!facts.electronBinary) missing.push("Electron's binary (node_modules/electron/dist): run npm ci where github.com can be reached");
  if (!facts.headersReachable)
    missing.push(`network access to ${new URL(ELECTRON_HEADERS_URL).host}, for Electron's headers (the native rebuild of better-sqlite3)`);
  for (const [tool, present] of Object.entries(facts.tools)) if (!present) missing.push(`${tool} on the PATH, for the native rebuild`);
  return missing;
}

function hasTool(tool) {
  return spawnSync(process.platform === 'win32' ? 'where' : 'which', [tool], { stdio: 'ignore' }).status === 0;
}

async function reachable(url) {
  try {
    const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    return response.status < 500;
  } catch {
    return false;
  }
}

async function main() {
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
  const pathFile = path.join(root, 'node_modules', 'electron', 'path.txt');
  const electronBinary =
    existsSync(pathFile) && existsSync(path.join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim()));
  const tools =
    process.platform === 'win32'
      ? { python: hasTool('python') }
      : { python3: hasTool('python3'), make: hasTool('make'), 'a C++ compiler (c++)': hasTool('c++') };
  const missing = missingPrerequisites({
    nodeVersion: process.version,
    electronBinary,
    headersReachable: await reachable(ELECTRON_HEADERS_URL),
    tools,
  });
  if (missing.length === 0) {
    console.log('Release prerequisites: all present.');
    return;
  }
  console.error(`npm run dist cannot build a release here. Missing:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
  process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
