// Bundles the React renderer (src/renderer) into dist/renderer: app.js, app.css and index.html.
// Offline by design: esbuild and every imported package come from node_modules.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = path.join(root, 'src', 'renderer');
const outDir = path.join(root, 'dist', 'renderer');

// Stale chunks from an earlier build must not be served next to the new bundle.
await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: { app: path.join(sourceDir, 'main.tsx') },
  outdir: outDir,
  bundle: true,
  // A classic deferred script: module scripts over file:// (Electron) need CORS that file: lacks.
  format: 'iife',
  platform: 'browser',
  target: ['chrome120'],
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  charset: 'utf8',
  legalComments: 'linked',
  define: { 'process.env.NODE_ENV': '"production"' },
  tsconfig: path.join(sourceDir, 'tsconfig.json'),
  logLevel: 'warning',
});

await copyFile(path.join(sourceDir, 'index.html'), path.join(outDir, 'index.html'));
console.log(`renderer built into ${path.relative(root, outDir)}`);
