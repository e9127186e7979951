import type { Catalog } from '../../src/main/catalog/catalog';
import type { scanMvtecDataset } from '../../src/main/ingest/datasetLayout';
import { trainForStation } from '../../src/main/services/training/stationTraining';
import type { StationPaths } from '../../src/main/stationPaths';

/**
 * Runs `work` while a standard training on every class (40 images each) is in its phase 2, the
 * heaviest steps, then cancels the training. The benchmarks that ask whether training yields to
 * inspections share it.
 */
export async function duringStandardTraining<T>(
  catalog: Catalog,
  paths: StationPaths,
  classes: ReturnType<typeof scanMvtecDataset>,
  work: () => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  let phase = '';
  let ended = false;
  const training = trainForStation(
    catalog,
    paths,
    {
      classes: classes.map((c) => ({ name: c.name, trainFiles: c.trainGood.slice(0, 40) })),
      foundation: { kind: 'builtin', backbone: 'mobilenetv2' },
      runtime: 'onnx',
      preset: 'standard',
      seed: 0,
      actor: 'bench',
    },
    { onProgress: (e) => (phase = e.phase), signal: abort.signal },
  )
    .catch(() => undefined)
    .finally(() => (ended = true));
  while (phase !== 'phase2' && !ended) await new Promise((r) => setTimeout(r, 200));
  if (ended) throw new Error('The training ended before its phase 2');
  try {
    return await work();
  } finally {
    abort.abort();
    await training;
  }
}
