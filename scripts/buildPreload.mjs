// Bundles the sandboxed preload (src/preload/preload.ts) into dist/preload/preload.js. A sandboxed
// preload may require only 'electron' (and a few Node built-ins), so its own imports are inlined.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await build({
  absWorkingDir: root,
  entryPoints: [path.join(root, 'src', 'preload', 'preload.ts')],
  outfile: path.join(root, 'dist', 'preload', 'preload.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: ['node20', 'chrome120'],
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
});
console.log('preload built into dist/preload/preload.js');
