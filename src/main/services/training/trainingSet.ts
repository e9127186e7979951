import { buildLongTailSplit } from '../../engine/longtail/longTailSplit';
import { scanMvtecDataset } from '../../ingest/datasetLayout';

export interface TrainingSetRequest {
  data: string;
  classes?: string[];
  /** Long-tailed subset by the LTAD exp/step protocol, seeded. */
  lt?: 'exp' | 'step';
  beta?: number;
  nmax?: number;
  seed: number;
}

/** The training images per class, long-tailed by the LTAD protocol when asked. */
export function trainingClasses(options: TrainingSetRequest): { name: string; trainFiles: string[] }[] {
  const classes = scanMvtecDataset(options.data, options.classes);
  if (classes.length === 0) throw new Error(`${options.data} has no <class>/train/good folders`);
  if (!options.lt) return classes.map((c) => ({ name: c.name, trainFiles: c.trainGood }));
  if (options.beta === undefined) throw new Error('--lt needs --beta (for example --beta 10)');
  const split = buildLongTailSplit(
    classes.map((c) => ({ name: c.name, items: c.trainGood })),
    { type: options.lt, beta: options.beta, seed: options.seed, ...(options.nmax ? { nMax: options.nmax } : {}) },
  );
  return split.classes.map((c) => ({ name: c.name, trainFiles: c.items }));
}
