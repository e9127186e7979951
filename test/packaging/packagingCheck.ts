/**
 * `npm run check:packaging`: builds the unpacked Linux app with electron-builder, offline, and
 * checks what went into it. The Electron binary is not needed (nor downloadable here): a stand-in
 * Electron distribution (a folder with a fake `electron` executable) takes its place, and native
 * modules are not rebuilt (npmRebuild: false), so this checks the app's layout, not that it runs.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listPackage } from '@electron/asar';
import { Arch, build, Platform } from 'electron-builder';

const root = path.resolve(__dirname, '..', '..');

/** What `npm run build` must have produced: the packaged app is made of it, with every worker entry the app starts. */
const WORKER_ENTRIES = [
  'dist/main/services/station/stationServiceWorker.js',
  'dist/main/services/training/trainingWorker.js',
  'dist/main/services/training/ltadStepWorker.js',
];
const BUILD_OUTPUT = ['dist/main/app/electronMain.js', ...WORKER_ENTRIES, 'dist/preload/preload.js', 'dist/renderer/index.html'];
/** Inside resources/app.asar. */
const PACKED = [
  ...BUILD_OUTPUT,
  'package.json',
  'node_modules/zod/package.json',
  'node_modules/better-sqlite3/package.json',
  'node_modules/nsfwjs/package.json',
];
/** devDependencies that must stay out of the app. */
const DEV_ONLY = ['electron', 'electron-builder', 'vitest', 'typescript', 'tsx', 'esbuild', 'playwright-core'];
/** Native addons that must sit in app.asar.unpacked (they cannot be loaded from the archive). */
const UNPACKED_NATIVE: { what: string; pattern: RegExp }[] = [
  { what: 'better-sqlite3 addon', pattern: /^node_modules\/better-sqlite3\/build\/Release\/better_sqlite3\.node$/ },
  {
    what: 'onnxruntime-node binding',
    pattern: /^node_modules\/onnxruntime-node\/bin\/napi-v\d+\/linux\/[^/]+\/onnxruntime_binding\.node$/,
  },
  {
    what: 'onnxruntime shared library',
    pattern: /^node_modules\/onnxruntime-node\/bin\/napi-v\d+\/linux\/[^/]+\/libonnxruntime\.so[.\d]*$/,
  },
  { what: 'sharp addon (@img)', pattern: /^node_modules\/@img\/sharp-linux[^/]*\/lib\/sharp-linux[^/]*\.node$/ },
];

let failures = 0;
function check(ok: boolean, what: string): void {
  console.log(`${ok ? '  ok  ' : '  FAIL'} ${what}`);
  if (!ok) failures += 1;
}

function requireBuildOutput(): void {
  const missing = BUILD_OUTPUT.filter((file) => !existsSync(path.join(root, file)));
  if (missing.length === 0) return;
  console.error(`The build output is missing (${missing.join(', ')}). Run \`npm run build\` first, then \`npm run check:packaging\`.`);
  process.exit(1);
}

/** Just enough of an Electron distribution for electron-builder's Linux "dir" target. */
function standInElectron(dir: string): string {
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  mkdirSync(path.join(dir, 'locales'), { recursive: true });
  const executable = path.join(dir, 'electron');
  writeFileSync(executable, '#!/bin/sh\necho "stand-in Electron from the packaging check: it does not run the app" >&2\nexit 1\n');
  chmodSync(executable, 0o755);
  return dir;
}

function electronVersion(): string {
  return (JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
}

function hostArch(): Arch {
  if (process.arch === 'arm64') return Arch.arm64;
  if (process.arch === 'arm') return Arch.armv7l;
  return Arch.x64;
}

function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesUnder(path.join(dir, entry.name), relative) : [relative];
  });
}

async function main(): Promise<void> {
  requireBuildOutput();
  const work = mkdtempSync(path.join(os.tmpdir(), 'qa-station-packaging-'));
  const started = Date.now();
  try {
    const output = path.join(work, 'release');
    console.log(`Packaging the unpacked Linux app into ${output} (stand-in Electron ${electronVersion()}, no native rebuild)...`);
    await build({
      projectDir: root,
      targets: Platform.LINUX.createTarget('dir', hostArch()),
      publish: 'never',
      config: {
        electronDist: standInElectron(path.join(work, 'electron-dist')),
        electronVersion: electronVersion(),
        npmRebuild: false,
        directories: { output },
      },
    });
    const unpackedDir = readdirSync(output).find((name) => /^linux(-[a-z0-9]+)?-unpacked$/.test(name));
    if (!unpackedDir) throw new Error(`electron-builder wrote no linux*-unpacked folder into ${output}`);
    verify(path.join(output, unpackedDir));
  } finally {
    if (process.env.KEEP_PACKAGING_OUTPUT) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  console.log(
    `${failures === 0 ? 'Packaging check passed' : `Packaging check FAILED (${failures} problems)`} in ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  );
  process.exitCode = failures === 0 ? 0 : 1;
}

function verify(appDir: string): void {
  const asarFile = path.join(appDir, 'resources', 'app.asar');
  check(existsSync(path.join(appDir, 'qa-station')), 'the executable is named qa-station');
  check(existsSync(asarFile), 'resources/app.asar exists');
  if (!existsSync(asarFile)) return;

  const packed = new Set(listPackage(asarFile, { isPack: false }).map((entry) => entry.split(path.sep).join('/').replace(/^\//, '')));
  console.log(`app.asar holds ${packed.size} entries:`);
  for (const file of PACKED) check(packed.has(file), `app.asar contains ${file}`);
  const own = [...packed].filter((file) => !file.startsWith('node_modules/'));
  const sources = own.filter(
    (file) => /\.(ts|tsx)$/.test(file) || /^(src|test|scratch|scripts|release)(\/|$)/.test(file) || /\.test\.js$/.test(file),
  );
  check(
    sources.length === 0,
    `no TypeScript sources, tests or scripts in app.asar${sources.length ? `: ${sources.slice(0, 5).join(', ')}` : ''}`,
  );
  const maps = own.filter((file) => file.endsWith('.map'));
  check(maps.length === 0, `no source maps in app.asar${maps.length ? `: ${maps.slice(0, 5).join(', ')}` : ''}`);
  const cli = own.filter((file) => file.startsWith('dist/cli/'));
  check(cli.length === 0, 'the command line (dist/cli) is not packaged');
  for (const name of DEV_ONLY) check(!packed.has(`node_modules/${name}`), `devDependency ${name} is not packaged`);

  const unpacked = filesUnder(path.join(appDir, 'resources', 'app.asar.unpacked'));
  console.log(`app.asar.unpacked holds ${unpacked.length} files:`);
  for (const { what, pattern } of UNPACKED_NATIVE) {
    const found = unpacked.find((file) => pattern.test(file));
    check(found !== undefined, `${what} unpacked${found ? ` (${found})` : ''}`);
  }
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  const foreign = unpacked.filter((file) => /onnxruntime-node\/bin\/napi-v\d+\//.test(file) && !file.includes(`/linux/${arch}/`));
  check(
    foreign.length === 0,
    `only the linux/${arch} onnxruntime binaries are in the app${foreign.length ? `: ${foreign.slice(0, 3).join(', ')}` : ''}`,
  );
}

main().catch((error: unknown) => {
  console.error(`Packaging check could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
