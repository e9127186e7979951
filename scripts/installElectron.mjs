// npm ci's last step for this project: fetch Electron's binary where it can be fetched. Electron's
// own install script is not allowed to run as a dependency script (package.json allowScripts): where
// its download is blocked it fails, and with it the whole install. Run from here, a failure only
// means that `npm start` opens the browser host instead of the desktop app.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const installer = path.join(root, 'node_modules', 'electron', 'install.js');
const DOWNLOAD_LIMIT_MS = 10 * 60 * 1000;

if (!existsSync(installer)) {
  console.log('installElectron: the electron package is not installed (a production install): nothing to fetch.');
} else {
  const result = spawnSync(process.execPath, [installer], {
    cwd: path.dirname(installer),
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: DOWNLOAD_LIMIT_MS,
  });
  if (result.status === 0) {
    console.log(
      process.env.ELECTRON_SKIP_BINARY_DOWNLOAD
        ? 'installElectron: skipped (ELECTRON_SKIP_BINARY_DOWNLOAD is set): npm start will open the browser host.'
        : 'installElectron: Electron is ready: npm start opens the desktop app.',
    );
  } else {
    const reason =
      (result.error?.message ?? result.stderr ?? '').split('\n').find((line) => line.trim().length > 0) ?? `exit code ${result.status}`;
    console.log(`installElectron: Electron's binary could not be downloaded here (${reason.trim().slice(0, 160)}).`);
    console.log('installElectron: the install is complete without it; npm start opens the browser host instead.');
  }
}
