import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** docs/architecture.md, Layers: the folder says what a file may import. These rules keep it true. */
const root = path.resolve(__dirname, '..', '..');
const src = path.join(root, 'src');

interface SourceFile {
  file: string; // relative to src, with forward slashes
  imports: string[]; // resolved to 'src/...' for relative imports, else the package name
}

function sourceFiles(): SourceFile[] {
  const files = readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
  return files.map((full) => {
    const text = readFileSync(full, 'utf8');
    const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1] as string);
    const imports = specifiers.map((s) => (s.startsWith('.') ? path.relative(root, path.resolve(path.dirname(full), s)).split(path.sep).join('/') : s));
    return { file: path.relative(src, full).split(path.sep).join('/'), imports };
  });
}

const files = sourceFiles();
const within = (prefix: string) => files.filter((f) => f.file.startsWith(prefix));
function offenders(list: SourceFile[], forbidden: (specifier: string) => boolean): string[] {
  return list.flatMap((f) => f.imports.filter(forbidden).map((i) => `${f.file} imports ${i}`));
}

describe('import rules', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('src/shared is pure TypeScript: only zod and itself', () => {
    expect(offenders(within('shared/'), (i) => !(i === 'zod' || i.startsWith('src/shared/')))).toEqual([]);
  });

  it('only src/main/app and src/preload import electron', () => {
    const rest = files.filter((f) => !f.file.startsWith('main/app/') && !f.file.startsWith('preload/'));
    expect(offenders(rest, (i) => i === 'electron' || i.startsWith('electron/'))).toEqual([]);
  });

  it('engine, catalog, ingest, reports and host never reach into the app, preload or renderer', () => {
    const layers = ['main/engine/', 'main/catalog/', 'main/ingest/', 'main/reports/', 'main/host/', 'main/synthetic/'].flatMap(within);
    expect(offenders(layers, (i) => /^src\/(main\/app|preload|renderer)\//.test(i))).toEqual([]);
  });

  it('the engine stays free of storage and transport: no catalog, host or database imports', () => {
    expect(offenders(within('main/engine/'), (i) => /^src\/main\/(catalog|host|app)\//.test(i) || i === 'better-sqlite3')).toEqual([]);
  });

  it('only the catalogue talks to SQLite', () => {
    const rest = files.filter((f) => !f.file.startsWith('main/catalog/'));
    expect(offenders(rest, (i) => i === 'better-sqlite3')).toEqual([]);
  });

  it('below the dispatcher, refusals are domain errors: the API error type stays with the transports', () => {
    // services/apiErrorBody.ts maps each domain error to its API code; nothing beneath it picks codes.
    const beneath = ['main/catalog/', 'main/engine/', 'main/ingest/', 'main/reports/', 'main/synthetic/', 'main/services/station/', 'main/domainError.ts'].flatMap(within);
    expect(offenders(beneath, (i) => i === 'src/shared/api/apiErrors')).toEqual([]);
  });

  it('the domain errors import nothing, so every layer of src/main may throw them', () => {
    expect(within('main/domainError.ts')).toHaveLength(1);
    expect(offenders(within('main/domainError.ts'), () => true)).toEqual([]);
  });

  it('the renderer never touches Node or the main process', () => {
    expect(offenders(within('renderer/'), (i) => i.startsWith('node:') || /^src\/(main|cli)\//.test(i))).toEqual([]);
  });
});
