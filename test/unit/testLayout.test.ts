import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import e2eConfig from '../../vitest.e2e.config';
import unitConfig from '../../vitest.config';

/**
 * docs/ARCHITECTURE.md, Tests: test/unit mirrors src. A unit test test/unit/<dir>/<name>.test.ts
 * covers src/<dir>/<name>.ts (or .tsx), or the folder src/<dir>/<name>/ as a whole, where <dir>
 * is read below src/main for the Node main side and below src for cli, preload, renderer and
 * shared: test/unit/services/station/apiHandlers.test.ts covers
 * src/main/services/station/apiHandlers.ts, test/unit/shared/productNameRule.test.ts covers
 * src/shared/productNameRule.ts, test/unit/engine/metrics.test.ts covers src/main/engine/metrics/.
 */
const root = path.resolve(__dirname, '..', '..');
const unitDir = path.join(root, 'test', 'unit');
const posix = (p: string) => p.split(path.sep).join('/');

/** The deliberate exceptions, each with its reason. */
const NOT_MIRRORED: Record<string, string> = {
  'architecture.test.ts': 'the import rules of the whole of src',
  'testLayout.test.ts': 'this file: the layout of the tests themselves',
  'releasePrerequisites.test.ts': 'scripts/releasePrerequisites.mjs, outside src',
};

/** Folders beside the tests that hold what they load (worker entry files, fixtures), not tests. */
const SUPPORT_FOLDERS = new Set(['fixtures', 'helpers']);

/** Top-level folders of src mirrored from test/unit directly; everything else is read below src/main. */
const TOP_LEVEL = readdirSync(path.join(root, 'src'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== 'main')
  .map((e) => e.name);

/** The source path (no extension) that a unit test's path, relative to test/unit, mirrors. */
function mirroredSource(testPath: string): string {
  const stem = testPath.replace(/\.test\.ts$/, '');
  const [first] = stem.split('/');
  return TOP_LEVEL.includes(first as string) ? `src/${stem}` : `src/main/${stem}`;
}

function mirrors(testPath: string): boolean {
  const source = path.join(root, mirroredSource(testPath));
  return existsSync(`${source}.ts`) || existsSync(`${source}.tsx`) || (existsSync(source) && statSync(source).isDirectory());
}

const unitFiles = readdirSync(unitDir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => posix(path.relative(unitDir, path.join(e.parentPath, e.name))));
const isSupportFile = (file: string) =>
  file
    .split('/')
    .slice(0, -1)
    .some((folder) => SUPPORT_FOLDERS.has(folder));
const unitTests = unitFiles.filter((f) => f.endsWith('.test.ts') && !isSupportFile(f));

describe('test layout', () => {
  it('finds the unit tests', () => {
    expect(unitTests.length).toBeGreaterThan(40);
  });

  it('every unit test mirrors a source file or folder', () => {
    const offenders = unitTests
      .filter((f) => !(f in NOT_MIRRORED) && !mirrors(f))
      .map((f) => `test/unit/${f} (no ${mirroredSource(f)}.ts or folder)`);
    expect(offenders).toEqual([]);
  });

  it('keeps its exceptions current: none of them mirrors src (one that does follows the rule)', () => {
    // An exception whose file has gone (moved by the work it waits for) is harmless and left to that work to drop.
    expect(Object.keys(NOT_MIRRORED).filter((f) => unitTests.includes(f) && mirrors(f))).toEqual([]);
  });

  it('holds nothing but tests, except in fixtures/ and helpers/ folders', () => {
    expect(unitFiles.filter((f) => !f.endsWith('.test.ts') && !isSupportFile(f))).toEqual([]);
  });

  it('maps test/unit onto src one way only: no name is both below src and below src/main', () => {
    const main = readdirSync(path.join(root, 'src', 'main'));
    expect(TOP_LEVEL.filter((name) => main.includes(name) || main.includes(`${name}.ts`))).toEqual([]);
    expect(existsSync(path.join(unitDir, 'main'))).toBe(false);
  });
});

/** A vitest include glob as a regular expression over paths relative to the repository. */
function globToRegExp(glob: string): RegExp {
  const parts = glob
    .split('/')
    .map((part) => (part === '**' ? '(?:[^/]+/)*' : `${part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}/`));
  return new RegExp(`^${parts.join('').slice(0, -1)}$`);
}

describe('test discovery', () => {
  it('every test file under test/ is found by the unit or the end-to-end configuration', () => {
    const includes = [...(unitConfig.test?.include ?? []), ...(e2eConfig.test?.include ?? [])].map(globToRegExp);
    const testDir = path.join(root, 'test');
    const all = readdirSync(testDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.test\.tsx?$/.test(e.name))
      .map((e) => posix(path.relative(root, path.join(e.parentPath, e.name))));
    expect(all.length).toBeGreaterThan(unitTests.length);
    expect(all.filter((f) => !includes.some((re) => re.test(f)))).toEqual([]);
  });

  it('reads the include globs as vitest does', () => {
    const re = globToRegExp('test/unit/**/*.test.ts');
    expect(['test/unit/a.test.ts', 'test/unit/x/y/a.test.ts'].map((f) => re.test(f))).toEqual([true, true]);
    expect(['test/unit/a.test.tsx', 'test/integration/a.test.ts', 'test/unit/a.spec.ts'].map((f) => re.test(f))).toEqual([
      false,
      false,
      false,
    ]);
  });
});
