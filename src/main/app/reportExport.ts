import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import type { ApiResult } from '../../shared/api/apiErrors';
import type { StationService } from '../services/stationService';

/** The save dialog's suggestion: qa-report-2026-03-14.csv (local date). */
export function defaultReportName(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `qa-report-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.csv`;
}

/**
 * Streams the report into `target`. It is written under a temporary name in the same folder and
 * renamed at the end, so a crash or a failed report never leaves half a file under the real name.
 */
export async function exportReportToFile(
  service: Pick<StationService, 'writeReport'>,
  filter: unknown,
  target: string,
): Promise<ApiResult<{ savedTo: string }>> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.partial`);
  const out = createWriteStream(temp, { flags: 'wx' });
  let streamError: Error | null = null;
  out.on('error', (error) => {
    streamError ??= error;
  });
  const result = await service.writeReport(filter, out);
  if (!out.writableEnded) out.end(); // the service may leave ending the stream to its caller
  await finished(out).catch((error: Error) => {
    streamError ??= error;
  });
  if (result.ok && streamError === null) {
    try {
      await rename(temp, target);
      return { ok: true, value: { savedTo: target } };
    } catch (error) {
      streamError = error as Error;
    }
  }
  await unlink(temp).catch(() => undefined);
  if (!result.ok) return result;
  return {
    ok: false,
    error: {
      code: 'internal',
      message: `The report could not be saved to ${target}: ${(streamError as Error | null)?.message ?? 'unknown error'}`,
    },
  };
}
