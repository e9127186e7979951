/**
 * npm run test:faults — fault injection against the real station: `qa-station serve` in a child
 * process, a corpus of bad files through every entry point (API inspect, API import, CLI inspect,
 * hot folder), and SIGKILL during training, an inspection burst, a hot-folder burst and catalogue
 * writes. After every kill the station is restarted and checked: SQLite integrity_check, no run
 * left running, every dropped file accounted for exactly once, no record without its files and no
 * stored file without its record, resident memory bounded. Prints a table; exits 1 on a failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { scanMvtecDataset } from '../../src/main/ingest/datasetLayout';
import { generateSyntheticDataset } from '../../src/main/synthetic/syntheticDataset';
import { type ApiAnswer, callStation, type ServedStation, startServedStation, stopServedStation } from '../helpers/servedStation';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'src', 'cli', 'main.ts');
const PRODUCT = 'product_00';
const PIN = '2468';
const MAX_RSS_MB = 2500;
const TIME_LIMIT_MS = 8 * 60_000;
const KILL_ROUNDS = 2;

type Host = ServedStation;

interface Row {
  kase: string;
  entry: string;
  outcome: string;
  ok: boolean;
}

const rows: Row[] = [];
const counts = { cases: 0, kills: 0, filesChecked: 0 };
const started = Date.now();

function report(kase: string, entry: string, outcome: string, ok: boolean): void {
  rows.push({ kase, entry, outcome, ok });
  counts.cases++;
  console.error(`${ok ? 'ok  ' : 'FAIL'} ${kase} [${entry}]: ${outcome}`);
  if (Date.now() - started > TIME_LIMIT_MS) throw new Error(`the suite ran past its ${TIME_LIMIT_MS / 60000} minutes`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, predicate: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await predicate()) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function startHost(home: string): Promise<Host> {
  return startServedStation(home, '1,2');
}

function api(host: Host, method: string, input: unknown, client = 'faults-0001'): Promise<ApiAnswer> {
  return callStation(host, method, input, client);
}

async function kill(host: Host): Promise<void> {
  const exited = new Promise((r) => host.proc.once('exit', r));
  host.proc.kill('SIGKILL');
  await exited;
  counts.kills++;
}

const stop = stopServedStation;

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

/** A PNG whose header claims 30000 x 30000 pixels (a decompression bomb) in a few bytes. */
function pngBomb(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30000, 0);
  ihdr.writeUInt32BE(30000, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Bad files (must be refused with a clear error) and legal odd ones (must be inspected). */
async function corpus(good: Buffer): Promise<{ bad: Record<string, Buffer>; legal: Record<string, Buffer> }> {
  return {
    bad: {
      'zero-byte.png': Buffer.alloc(0),
      'truncated.png': good.subarray(0, Math.floor(good.length / 2)),
      'wrong-magic.png': Buffer.from('this is not an image, whatever its name says'),
      'bomb-30000x30000.png': pngBomb(),
      'junk-with-png-magic.png': Buffer.concat([good.subarray(0, 8), Buffer.alloc(4096, 7)]),
      'animated.gif': await sharp(Buffer.concat([Buffer.alloc(16 * 16 * 3, 0), Buffer.alloc(16 * 16 * 3, 255)]), {
        raw: { width: 16, height: 32, channels: 3 },
      })
        .gif({ loop: 0 })
        .toBuffer(), // GIF is not a supported format
    },
    legal: {
      'sixteen-bit.png': await sharp(good).toColourspace('rgb16').png().toBuffer(),
      'line-scan-3000x1.png': await sharp(Buffer.alloc(3000 * 3, 120), { raw: { width: 3000, height: 1, channels: 3 } })
        .png()
        .toBuffer(),
    },
  };
}

/** Exists, as a file or as a link (a dangling link is moved aside as a link). */
function present(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function* filesUnder(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else yield full;
  }
}

/** The checks after every restart. `dropped`: hot-folder file names that must each end up in exactly one place. */
async function checkStation(kase: string, host: Host, home: string, hot: string, dropped: string[]): Promise<void> {
  // The hot folder resumes by itself after a restart; let it drain what was left.
  await until(
    'the hot folder to drain',
    () => readdirSync(hot, { withFileTypes: true }).filter((e) => e.isFile() || e.isSymbolicLink()).length === 0,
    90_000,
  );
  await until('the inspection queue to drain', async () => (await api(host, 'training.status', {})).ok);
  const db = new Database(path.join(home, 'catalog.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    report(kase, 'catalogue', `integrity_check ${String(integrity)}`, integrity === 'ok');
    const running = (db.prepare("SELECT COUNT(*) AS n FROM training_runs WHERE status IN ('queued', 'running')").get() as { n: number }).n;
    report(kase, 'catalogue', `${running} training run(s) left running`, running === 0);
    const records = db
      .prepare('SELECT image_path AS a, anomaly_map_path AS b, overlay_path AS c FROM inspections WHERE images_removed IS NULL')
      .all() as { a: string; b: string | null; c: string | null }[];
    const referenced = new Set(records.flatMap((r) => [r.a, r.b, r.c].filter((f): f is string => !!f)));
    const missing = [...referenced].filter((f) => f.startsWith(home) && !existsSync(f));
    const stored = [...filesUnder(path.join(home, 'images', 'inspections')), ...filesUnder(path.join(home, 'inspections'))];
    const orphans = stored.filter((f) => !referenced.has(f));
    counts.filesChecked += referenced.size + stored.length;
    report(
      kase,
      'files',
      `${records.length} records, ${stored.length} stored files: ${missing.length} missing, ${orphans.length} without a record`,
      missing.length === 0 && orphans.length === 0,
    );
  } finally {
    db.close();
  }
  const places = dropped.map((name) => ['inspected', 'rejected'].filter((sub) => present(path.join(hot, sub, name))).length);
  const wrong = dropped.filter((_, i) => places[i] !== 1);
  counts.filesChecked += dropped.length;
  report(
    kase,
    'hot folder',
    `${dropped.length} dropped, ${wrong.length} not in exactly one of inspected/ and rejected/${wrong.length ? ` (${wrong.slice(0, 3).join(', ')})` : ''}`,
    wrong.length === 0,
  );
  const rss = host.proc.pid ? rssMb(host.proc.pid) : 0;
  report(kase, 'memory', `host RSS ${rss.toFixed(0)} MB (limit ${MAX_RSS_MB})`, rss < MAX_RSS_MB);
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'qa-faults-'));
  const home = path.join(scratch, 'home');
  const hot = path.join(scratch, 'hot');
  const data = path.join(scratch, 'data');
  mkdirSync(hot);
  let host: Host | undefined;
  try {
    await generateSyntheticDataset({ outDir: data, classes: 1, seed: 5, size: 64, nMax: 10, testGood: 2, testDefectsPerType: 1 });
    const dataset = scanMvtecDataset(data);
    const goodFiles = dataset[0]?.trainGood ?? [];
    const good = readFileSync(goodFiles[0] as string);
    const { bad, legal } = await corpus(good);
    const b64 = (bytes: Buffer) => bytes.toString('base64');

    // A station with a trained, promoted model and a hot folder.
    host = await startHost(home);
    await api(host, 'setup.firstSupervisor', { name: 'sam', pin: PIN });
    await api(host, 'products.create', { name: PRODUCT });
    await api(host, 'products.importImages', {
      product: PRODUCT,
      files: goodFiles.map((f) => ({ fileName: path.basename(f), data: b64(readFileSync(f)) })),
    });
    await api(host, 'training.start', { preset: 'fast' });
    await until(
      'the first training',
      async () => ((await api(host as Host, 'training.status', {})).value as { state: string }).state === 'succeeded',
      240_000,
    );
    const version = ((await api(host, 'models.list', {})).value as { version: string }[])[0]?.version as string;
    await api(host, 'models.promote', { version });
    await api(host, 'settings.set', { hotFolder: hot });
    await api(host, 'hotFolder.start', { product: PRODUCT });
    const dropped: string[] = [];
    let serial = 0;
    const drop = (name: string, bytes: Buffer) => {
      const unique = `${String(serial++).padStart(3, '0')}-${name}`;
      writeFileSync(path.join(hot, unique), bytes);
      dropped.push(unique);
      return unique;
    };

    // The corpus through every entry point.
    for (const [name, bytes] of Object.entries(bad)) {
      const result = await api(host, 'inspect.image', { product: PRODUCT, source: 'import', fileName: name, data: b64(bytes) });
      report(
        `bad file ${name}`,
        'API inspect',
        result.ok ? 'accepted' : `${result.error?.code}: ${result.error?.message.slice(0, 70)}`,
        !result.ok && ['bad-image', 'invalid-request'].includes(result.error?.code ?? ''),
      );
    }
    for (const [name, bytes] of Object.entries(legal)) {
      const result = await api(host, 'inspect.image', { product: PRODUCT, source: 'import', fileName: name, data: b64(bytes) });
      report(
        `legal file ${name}`,
        'API inspect',
        result.ok ? `inspected: ${(result.value as { verdict: string }).verdict}` : `refused: ${result.error?.message.slice(0, 70)}`,
        result.ok,
      );
    }
    // Six large uploads at once: answered (refused or "busy"), memory bounded, and given back.
    const before = rssMb(host.proc.pid as number);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb((host as Host).proc.pid as number))), 50);
    const large = Buffer.concat([good.subarray(0, 3), Buffer.alloc(35 * 1024 * 1024, 9)]); // JPEG-ish magic, junk after
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api(
          host as Host,
          'inspect.image',
          { product: PRODUCT, source: 'import', fileName: `large-${i}.jpg`, data: b64(large) },
          `faults-${2000 + i}`,
        ),
      ),
    );
    clearInterval(sampler);
    await sleep(3000);
    const settled = rssMb(host.proc.pid as number);
    const codes = answers.map((a) => a.error?.code ?? 'ok');
    report(
      'six 35 MB uploads at once',
      'API inspect',
      `answers ${[...new Set(codes)].join(', ')}; host RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB, ${settled.toFixed(0)} MB after 3 s`,
      codes.every((c) => c !== 'ok' && c !== 'internal') && peak < MAX_RSS_MB && settled < before + 400,
    );
    const imported = await api(host, 'products.importImages', {
      product: PRODUCT,
      files: Object.entries(bad)
        .filter(([, b]) => b.length > 0)
        .map(([fileName, bytes]) => ({ fileName, data: b64(bytes) })),
    });
    const rejected = ((imported.value as { rejected?: unknown[] } | undefined)?.rejected ?? []).length;
    report(
      'bad files',
      'API import',
      imported.ok ? `${rejected} of ${Object.keys(bad).length - 1} rejected` : `${imported.error?.message}`,
      imported.ok && rejected === Object.keys(bad).length - 1,
    );
    const cliDir = path.join(scratch, 'cli');
    mkdirSync(cliDir);
    for (const [name, bytes] of Object.entries({ ...bad, ...legal })) writeFileSync(path.join(cliDir, name), bytes);
    const cli = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        CLI,
        'inspect',
        ...readdirSync(cliDir).map((f) => path.join(cliDir, f)),
        '--class',
        PRODUCT,
        '--home',
        home,
        '--json',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const cliResults = (() => {
      try {
        return JSON.parse(cli.stdout) as { verdict?: string; code?: string }[];
      } catch {
        return [];
      }
    })();
    const cliBad = cliResults.filter((r) => r.code).length;
    report(
      'bad and legal files',
      'CLI inspect',
      `exit ${cli.status}, ${cliBad} refused, ${cliResults.length - cliBad} inspected`,
      cli.status === 1 && cliBad === Object.keys(bad).length && cliResults.length === Object.keys(bad).length + Object.keys(legal).length,
    );
    for (const [name, bytes] of Object.entries({ ...bad, ...legal })) drop(name, bytes);
    const dangling = `${String(serial++).padStart(3, '0')}-dangling-link.png`;
    symlinkSync(path.join(scratch, 'nowhere.png'), path.join(hot, dangling));
    dropped.push(dangling);
    await checkStation('corpus', host, home, hot, dropped);
    const badInRejected = Object.keys(bad).every((n) => dropped.some((d) => d.endsWith(n) && present(path.join(hot, 'rejected', d))));
    const legalInspected = Object.keys(legal).every((n) => dropped.some((d) => d.endsWith(n) && present(path.join(hot, 'inspected', d))));
    report(
      'bad and legal files',
      'hot folder',
      `bad files in rejected/: ${badInRejected}, legal files in inspected/: ${legalInspected}`,
      badInRejected && legalInspected,
    );

    // SIGKILL at the worst moments, then restart and check.
    const kills: [string, (h: Host) => Promise<void>][] = [
      [
        'kill during training',
        async (h) => {
          await api(h, 'training.start', { preset: 'fast' });
          await until(
            'training to run',
            async () => ((await api(h, 'training.status', {})).value as { state: string }).state === 'running',
          );
          await sleep(1500);
        },
      ],
      [
        'kill during an inspection burst',
        async (h) => {
          for (let i = 0; i < 12; i++)
            void api(
              h,
              'inspect.image',
              { product: PRODUCT, source: 'import', fileName: `burst-${i}.png`, data: b64(good) },
              `faults-${String(1000 + i)}`,
            ).catch(() => undefined);
          await sleep(600);
        },
      ],
      [
        'kill during a hot-folder burst',
        async () => {
          for (let i = 0; i < 20; i++) drop('burst.png', good);
          await sleep(900);
        },
      ],
      [
        'kill during catalogue writes',
        async (h) => {
          let written = 0;
          const writes = (async () => {
            for (let i = 0; i < 500; i++)
              if ((await api(h, 'settings.set', { stationName: `line ${i}` }).catch(() => ({ ok: false }))).ok) written++;
          })();
          void writes;
          await until('catalogue writes to start', () => written > 5, 10_000);
        },
      ],
    ];
    for (let round = 1; round <= KILL_ROUNDS; round++) {
      for (const [kase, act] of kills) {
        await act(host);
        await kill(host);
        host = await startHost(home);
        const unlocked = await api(host, 'session.unlock', { name: 'sam', pin: PIN }); // sessions do not outlive the process
        if (!unlocked.ok) throw new Error(`could not unlock after the restart: ${unlocked.error?.message}`);
        await checkStation(`${kase} (${round})`, host, home, hot, dropped);
      }
    }
    await stop(host);
    host = undefined;
  } finally {
    if (host) await kill(host).catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  }
  const failed = rows.filter((r) => !r.ok);
  console.log(
    `\ntest:faults — ${os.availableParallelism()} cores, ${((Date.now() - started) / 1000).toFixed(0)} s: ${counts.cases} checks, ${counts.kills} processes killed with SIGKILL, ${counts.filesChecked} files checked\n`,
  );
  console.log('| case | entry point | outcome | ok |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.kase} | ${r.entry} | ${r.outcome.replace(/\|/g, '/')} | ${r.ok ? 'yes' : 'NO'} |`);
  if (failed.length > 0) {
    console.log(`\n${failed.length} check(s) failed`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(`test:faults failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
