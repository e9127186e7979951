import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** docs/ARCHITECTURE.md, Layers: the folder says what a file may import. These rules keep it true. */
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
    // Comments may quote an import's words ("... from 'object'"): only code counts.
    const text = readFileSync(full, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|\s)\/\/.*$/gm, '$1');
    const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)].map(
      (m) => m[1] as string,
    );
    const imports = specifiers.map((s) =>
      s.startsWith('.')
        ? path
            .relative(root, path.resolve(path.dirname(full), s))
            .split(path.sep)
            .join('/')
        : s,
    );
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
    const layers = [
      'main/engine/',
      'main/engineAdapters/',
      'main/catalog/',
      'main/ingest/',
      'main/reports/',
      'main/host/',
      'main/synthetic/',
    ].flatMap(within);
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
    // services/station/apiErrorBody.ts maps each domain error to its API code; nothing beneath it picks codes.
    const dispatcherAndTransport = [
      'main/services/station/stationBackend.ts',
      'main/services/station/apiErrorBody.ts',
      'main/services/station/stationServiceWorkerClient.ts',
    ];
    const beneath = [
      'main/catalog/',
      'main/engine/',
      'main/engineAdapters/',
      'main/ingest/',
      'main/reports/',
      'main/synthetic/',
      'main/services/',
      'main/domainError.ts',
    ]
      .flatMap(within)
      .filter((f) => !dispatcherAndTransport.includes(f.file) && f.file !== 'main/services/stationService.ts');
    expect(offenders(beneath, (i) => i === 'src/shared/api/apiErrors')).toEqual([]);
  });

  it('the domain errors import nothing, so every layer of src/main may throw them', () => {
    expect(within('main/domainError.ts')).toHaveLength(1);
    expect(offenders(within('main/domainError.ts'), () => true)).toEqual([]);
  });

  it('the CLI uses src/main but never the Electron app', () => {
    expect(offenders(within('cli/'), (i) => i.startsWith('src/main/app/'))).toEqual([]);
  });

  it('the renderer never touches Node or the main process', () => {
    expect(offenders(within('renderer/'), (i) => i.startsWith('node:') || /^src\/(main|cli)\//.test(i))).toEqual([]);
  });
});

/** The services folder of an import ('training' for src/main/services/training/...), or null. */
function servicesFolder(specifier: string): string | null {
  return /^src\/main\/services\/([^/]+)\//.exec(specifier)?.[1] ?? null;
}

describe('services: one folder per capability', () => {
  // The folders form a DAG: workers <- inspection <- training <- station; evaluation -> inspection.
  const mayNotImport = (folder: string, forbidden: string[]) =>
    offenders(within(`main/services/${folder}/`), (i) => forbidden.includes(servicesFolder(i) ?? ''));

  it('leaves only entry points flat in services/: the interface the transports use', () => {
    expect(
      within('main/services/')
        .filter((f) => !f.file.slice('main/services/'.length).includes('/'))
        .map((f) => f.file),
    ).toEqual(['main/services/stationService.ts']);
  });

  it('workers hold generic worker plumbing: they import nothing else from services', () => {
    expect(
      offenders(within('main/services/workers/'), (i) => i.startsWith('src/main/services/') && servicesFolder(i) !== 'workers'),
    ).toEqual([]);
  });

  it('inspection imports no training, evaluation or station', () => {
    expect(mayNotImport('inspection', ['training', 'evaluation', 'station'])).toEqual([]);
  });

  it('training imports no station or evaluation', () => {
    expect(mayNotImport('training', ['station', 'evaluation'])).toEqual([]);
  });

  it('evaluation (the CLI and benchmarks) imports no station or training', () => {
    expect(mayNotImport('evaluation', ['station', 'training'])).toEqual([]);
  });

  it('line integration (the MQTT feed) imports no station, training or evaluation', () => {
    expect(mayNotImport('line', ['station', 'training', 'evaluation'])).toEqual([]);
  });

  it('the station imports no evaluation', () => {
    expect(mayNotImport('station', ['evaluation'])).toEqual([]);
  });

  it('the entry point (stationService.ts) is for the transports and the station, not for the capabilities beneath', () => {
    const beneath = ['inspection', 'training', 'evaluation', 'workers'].flatMap((f) => within(`main/services/${f}/`));
    expect(offenders(beneath, (i) => i === 'src/main/services/stationService.ts' || i === 'src/main/services/stationService')).toEqual([]);
  });
});

describe('engine: compute apart from its adapters', () => {
  // Reading and writing files, and onnxruntime sessions, live in src/main/engineAdapters.
  const engine = within('main/engine/');

  it('the engine reads and writes no files', () => {
    expect(offenders(engine, (i) => ['fs', 'fs/promises', 'node:fs', 'node:fs/promises'].includes(i))).toEqual([]);
  });

  it('the engine creates no onnxruntime sessions', () => {
    expect(offenders(engine, (i) => i === 'onnxruntime-node' || i.startsWith('onnxruntime-node/'))).toEqual([]);
  });

  it('the engine imports only itself and src/shared from the project, so nothing reaches files through another layer', () => {
    expect(offenders(engine, (i) => i.startsWith('src/') && !/^src\/(shared|main\/engine)\//.test(i))).toEqual([]);
  });

  it("the engine's packages are its compute: tfjs and its backends, protobufjs (ONNX graphs), Node's module loader", () => {
    const allowed = (i: string) => i.startsWith('@tensorflow/tfjs') || i === 'protobufjs' || i === 'node:module';
    expect(offenders(engine, (i) => !i.startsWith('src/') && !allowed(i))).toEqual([]);
  });

  it('the engine imports nothing from its adapters', () => {
    expect(offenders(engine, (i) => i.startsWith('src/main/engineAdapters/'))).toEqual([]);
  });

  it('the adapters sit right above the engine: only the engine, src/shared, the domain errors and packages', () => {
    expect(
      offenders(
        within('main/engineAdapters/'),
        (i) => i.startsWith('src/') && !/^src\/(shared|main\/engine|main\/engineAdapters)\//.test(i) && i !== 'src/main/domainError.ts',
      ),
    ).toEqual([]);
  });
});

describe('folders', () => {
  it("import each other without cycles (a folder is a file's directory)", () => {
    const folderOf = (file: string) => path.posix.dirname(file);
    const graph = new Map<string, Set<string>>();
    for (const f of files) {
      const from = folderOf(`src/${f.file}`);
      const targets = graph.get(from) ?? new Set<string>();
      graph.set(from, targets);
      for (const i of f.imports) if (i.startsWith('src/') && folderOf(i) !== from) targets.add(folderOf(i));
    }
    expect(folderCycle(graph)).toEqual([]);
  });
});

/** One cycle of the graph as [a, b, ..., a], or [] when it has none (depth-first search). */
function folderCycle(graph: Map<string, Set<string>>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (node: string): string[] => {
    if (state.get(node) === 'done') return [];
    if (state.get(node) === 'open') return [...trail.slice(trail.indexOf(node)), node];
    state.set(node, 'open');
    trail.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle.length > 0) return cycle;
    }
    trail.pop();
    state.set(node, 'done');
    return [];
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle.length > 0) return cycle;
  }
  return [];
}
