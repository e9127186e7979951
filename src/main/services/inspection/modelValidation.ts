import type { ValidationStats } from '../../../shared/api/apiRecords';
import type { SampleImage } from '../../../shared/catalogTypes';
import type { Catalog } from '../../catalog/catalog';
import { validationCounts, type JudgedDefect } from '../../engine/metrics/validationStats';
import { readImageFile } from '../../ingest/imageDecoder';
import { ImageDecodeError } from '../../ingest/imageDecodeError';
import type { StationPaths } from '../../stationPaths';
import type { openImageEncoder } from '../../engineAdapters/resolveFoundationPack';
import { Inspector } from './inspector';

/** Defect images scored at once: the backbone's batch. */
const BATCH = 8;

/**
 * One model version on every product's labelled defect images (the validation split), each judged
 * exactly as an inspection would at the threshold in force, nothing recorded, against the held-out
 * good scores its thresholds were set from. Products without defect images, or that the model was
 * not trained on, are left out.
 */
export async function validateModel(
  catalog: Catalog,
  paths: StationPaths,
  version: string,
  options: { openEncoder?: typeof openImageEncoder } = {},
): Promise<Map<string, { defects: number; stats: ValidationStats }>> {
  const inspector = await Inspector.open(catalog, paths, { version, ...options });
  const results = new Map<string, { defects: number; stats: ValidationStats }>();
  try {
    const inForce = new Map(catalog.models.calibration(inspector.row.id).map((c) => [c.classId, c.threshold]));
    for (const product of inspector.model.meta.classNames) {
      const row = catalog.classes.getByName(product);
      const threshold = row && inForce.get(row.id);
      const calibration = inspector.model.meta.calibration[product];
      if (!row || threshold === undefined || !calibration) continue;
      const samples = catalog.samples.list(row.id, { split: 'validation', label: 'defect' });
      if (samples.length === 0) continue;
      const { judged, unreadable } = await judgeDefects(inspector, product, samples);
      results.set(product, {
        defects: samples.length,
        stats: {
          threshold,
          goodFrom: calibration.thresholdSource,
          ...validationCounts(calibration.goodScores, judged, threshold),
          unreadable,
          defectScores: judged.map((d) => d.score),
        },
      });
    }
  } finally {
    await inspector.dispose();
  }
  return results;
}

/** Each labelled defect judged as an inspection would be; one that cannot be read or decoded is listed with why. */
async function judgeDefects(
  inspector: Inspector,
  product: string,
  samples: readonly SampleImage[],
): Promise<{ judged: JudgedDefect[]; unreadable: ValidationStats['unreadable'] }> {
  const judged: JudgedDefect[] = [];
  const unreadable: ValidationStats['unreadable'] = [];
  for (let i = 0; i < samples.length; i += BATCH) {
    const batch = samples.slice(i, i + BATCH);
    const read = await Promise.allSettled(batch.map((s) => readImageFile(s.path)));
    const readable = batch.flatMap((s, k) => {
      const r = read[k] as PromiseSettledResult<Buffer>;
      if (r.status === 'fulfilled') return [{ path: s.path, bytes: r.value }];
      unreadable.push({ fileName: s.path, reason: reasonOf(r.reason) });
      return [];
    });
    const outcomes = await inspector.judgeOnly(readable.map((x) => ({ bytes: x.bytes, product, displayName: x.path })));
    outcomes.forEach((o, k) => {
      if (o.status === 'fulfilled') judged.push({ score: o.value.imageScore, verdict: o.value.verdict });
      else unreadable.push({ fileName: readable[k]?.path ?? '', reason: reasonOf(o.reason) });
    });
  }
  return { judged, unreadable };
}

function reasonOf(error: unknown): string {
  if (error instanceof ImageDecodeError) return error.reason;
  return error instanceof Error ? error.message : String(error);
}
