import { rmSync, statSync } from 'node:fs';
import type { Catalog } from '../../catalog/catalog';
import { isWithin } from '../../stationPaths';

export interface RetentionPolicy {
  maxAgeDays: number | null;
  maxBytes: number | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Applies the station's retention policy to inspection images, oldest first: images older than
 * maxAgeDays go, then more until the rest fit in maxBytes. Records are kept and say their images
 * were pruned. Only files inside the station's data folder are ever deleted.
 */
export function pruneInspectionImages(
  catalog: Catalog,
  stationHome: string,
  policy: RetentionPolicy,
  now = Date.now(),
): { pruned: number; bytesFreed: number } {
  if (policy.maxAgeDays === null && policy.maxBytes === null) return { pruned: 0, bytesFreed: 0 };
  const cutoff = policy.maxAgeDays === null ? Number.NEGATIVE_INFINITY : now - policy.maxAgeDays * DAY_MS;
  // Read everything first: the catalogue cannot be written while a query is being iterated.
  const kept = [...catalog.inspections.keptOldestFirst()].map((r) => {
    const files = r.files.filter((f) => isWithin(f, stationHome));
    return { ...r, files, bytes: files.reduce((sum, f) => sum + sizeOf(f), 0) };
  });
  let total = kept.reduce((sum, r) => sum + r.bytes, 0);
  const prune: typeof kept = [];
  for (const r of kept) {
    const tooOld = Date.parse(r.at) < cutoff;
    const overSize = policy.maxBytes !== null && total > policy.maxBytes;
    if (!tooOld && !overSize) break;
    prune.push(r);
    total -= r.bytes;
  }
  for (const r of prune) for (const f of r.files) rmSync(f, { force: true });
  catalog.inspections.markImagesRemoved(
    prune.map((r) => r.id),
    'retention',
  );
  return { pruned: prune.length, bytesFreed: prune.reduce((sum, r) => sum + r.bytes, 0) };
}
