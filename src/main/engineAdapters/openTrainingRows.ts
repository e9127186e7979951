import { memoryRows, standardisedFileRows, type TrainingRows, type TrainingRowsSource } from '../engine/ltad/trainingRows';
import { TokenRowFile } from './tokenRowFile';

/** Opens training rows from their source: shared memory as it is, or the float16 files on disk. */
export function openTrainingRows(source: TrainingRowsSource): TrainingRows {
  if (source.kind === 'memory') return memoryRows(source);
  return standardisedFileRows(source, new TokenRowFile(source.file), source.views ? new TokenRowFile(source.views.file) : undefined);
}
