import type { ImportReport } from '../../../shared/api/apiRecords';
import type { StationClient } from '../../../shared/api/stationApi';
import { MAX_IMPORT_REQUEST_BYTES } from '../../../shared/api/stationApi';
import { chunkWithin } from '../../lib/chunk';
import { imageFilePayload } from '../../lib/imageFilePayload';

/** products.importImages takes up to 200 files, but 20 keeps each message small and progress visible. */
export const IMPORT_BATCH_SIZE = 20;

export interface ImportProgress extends ImportReport {
  done: number;
  total: number;
}

/**
 * Sends good images to a product in batches, reading each batch only when it is about to go (a
 * folder of thousands of images never sits in memory as base64 at once). Reports after each batch;
 * a failing call stops the import and rejects with its ApiError.
 */
export async function importGoodImages(
  client: StationClient,
  product: string,
  files: readonly File[],
  onProgress: (progress: ImportProgress) => void,
  /** Good images to train on, or labelled defects to validate models with (products.importDefects). */
  kind: 'good' | 'defect' = 'good',
): Promise<ImportProgress> {
  const progress: ImportProgress = { added: 0, duplicates: [], rejected: [], done: 0, total: files.length };
  onProgress({ ...progress });
  // Under the per-call byte limit too, so that a batch of large images is never refused whole.
  for (const batch of chunkWithin(files, IMPORT_BATCH_SIZE, MAX_IMPORT_REQUEST_BYTES, (f) => f.size)) {
    const payloads = await Promise.all(batch.map(imageFilePayload));
    const sendable = payloads.flatMap((p) => (p.ok ? [{ fileName: p.fileName, data: p.data }] : []));
    const unreadable = payloads.flatMap((p) => (p.ok ? [] : [{ fileName: p.fileName, reason: p.reason }]));
    progress.rejected = [...progress.rejected, ...unreadable];
    if (sendable.length > 0) {
      const method = kind === 'good' ? 'products.importImages' : 'products.importDefects';
      const report = await client[method]({ product, files: sendable });
      progress.added += report.added;
      progress.duplicates = [...progress.duplicates, ...report.duplicates];
      progress.rejected = [...progress.rejected, ...report.rejected];
    }
    progress.done += batch.length;
    onProgress({ ...progress });
  }
  return progress;
}
