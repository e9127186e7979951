// npm run install:cuda [-- --force]: downloads onnxruntime-node's CUDA execution provider (README, GPU
// stations). npm ci never does: package.json's allowScripts denies onnxruntime-node's install script,
// whose default on Linux x64 is this download from NuGet, which fails where there is no network.
// This runs that script once, on a station that has network.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = path.join(root, 'node_modules', 'onnxruntime-node');
const installer = path.join(packageDir, 'script', 'install.js');
const platform = `${process.platform}/${process.arch}`;
const binaryDir = path.join(packageDir, 'bin', 'napi-v6', process.platform, process.arch);
const DOWNLOAD_LIMIT_MS = 30 * 60 * 1000;

function fail(message) {
  console.error(`install:cuda: ${message}`);
  process.exit(1);
}

if (!existsSync(installer)) fail('onnxruntime-node is not installed here: run npm ci first.');
const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
const metadata = createRequire(import.meta.url)(path.join(packageDir, 'script', 'install-metadata.js'));
const manifest = metadata.manifests[`${platform}:cuda12`];
if (!manifest) {
  const elsewhere = process.platform === 'win32' ? ' DirectML is bundled and is used instead.' : '';
  fail(`onnxruntime-node ${version} has no CUDA provider download for ${platform}.${elsewhere}`);
}
const files = Object.keys(manifest).map((file) => path.join(binaryDir, file));
const nugetPackage = metadata.packages[Object.values(manifest)[0].package]?.name ?? 'the NuGet GPU package';
if (!process.argv.includes('--force') && files.every((file) => existsSync(file))) {
  console.log('install:cuda: the CUDA provider is already installed (--force downloads it again).');
  process.exit(0);
}

// ONNXRUNTIME_NODE_INSTALL=1 forces the platform's download. Not =cuda12: onnxruntime-node 1.30's flag
// parser drops named values, and under `npm run` its script then takes itself for a local install and
// exits having done nothing. The variable also outranks an npm config that says skip.
const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: '1' };
delete env.ONNXRUNTIME_NODE_INSTALL_CUDA;
delete env.npm_config_onnxruntime_node_install;
delete env.npm_config_onnxruntime_node_install_cuda;
console.log(`install:cuda: downloading the CUDA 12 provider of onnxruntime-node ${version} (${nugetPackage}, a large download)`);
console.log(`install:cuda: into ${path.relative(root, binaryDir)}; a proxy is taken from GLOBAL_AGENT_HTTPS_PROXY`);
const result = spawnSync(process.execPath, [installer], { cwd: packageDir, env, stdio: 'inherit', timeout: DOWNLOAD_LIMIT_MS });
const missing = files.filter((file) => !existsSync(file)).map((file) => path.basename(file));
if (result.status !== 0 || missing.length > 0)
  fail(
    `the download did not complete (${result.error?.message ?? `exit code ${result.status}`}; missing: ${missing.join(', ') || 'nothing'}).`,
  );
console.log('install:cuda: done. CUDA also needs the NVIDIA driver, CUDA 12 and cuDNN 9 libraries on the library path.');
console.log('install:cuda: restart the station; `npx qa-station status` shows the provider in use, or why CUDA failed.');
console.log('install:cuda: npm ci removes the provider again: run this again after each npm ci.');
