import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ImportReport, ProductSummary } from '../../../shared/api/apiRecords';
import type { User } from '../../../shared/catalogTypes';
import type { Catalog } from '../../catalog/catalog';
import { DomainError } from '../../domainError';
import { tailProducts } from '../../engine/longtail/tailProducts';
import { decodeRgb, readImageFile } from '../../ingest/imageDecoder';
import { ImageDecodeError } from '../../ingest/imageDecodeError';
import { sniffImageFormat } from '../../ingest/imageFormat';
import type { StationPaths } from '../../stationPaths';
import { writeFileAtomic } from '../inspection/fileStore';

/**
 * When the active model's training began, or null without one. Training reads the catalogue's
 * images as it starts, so good images added after this were never learnt.
 */
function activeModelTrainedFrom(catalog: Catalog): string | null {
  const active = catalog.models.active();
  if (!active) return null;
  const run = active.trainingRunId === null ? undefined : catalog.trainingRuns.get(active.trainingRunId);
  return run?.startedAt ?? active.createdAt;
}

/**
 * Products with their good-image and labelled-defect counts, tail flags, whether the active model
 * covers them and how many of their good images it has not learnt (a retrain would).
 */
export function listProducts(catalog: Catalog, activeModelProducts: ReadonlySet<string>): ProductSummary[] {
  const rows = catalog.classes.listWithCounts();
  const tail = tailProducts(new Map(rows.map((r) => [r.name, r.goodTrainImages])));
  const defects = catalog.samples.countByClass({ split: 'validation', label: 'defect' });
  const trainedFrom = activeModelTrainedFrom(catalog);
  const addedSince =
    trainedFrom === null
      ? new Map<number, number>()
      : catalog.samples.countByClass({ split: 'train', label: 'good', addedAfter: trainedFrom });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    displayName: r.displayName,
    goodImages: r.goodTrainImages,
    labelledDefects: defects.get(r.id) ?? 0,
    tail: tail.has(r.name),
    inActiveModel: activeModelProducts.has(r.name),
    // A product the active model does not know has learnt none of its images.
    untrainedGoodImages: activeModelProducts.has(r.name) ? (addedSince.get(r.id) ?? 0) : r.goodTrainImages,
  }));
}

/** The catalogue refuses a name taken (conflict) or outside the product-name rule (invalid-input). */
export function createProduct(catalog: Catalog, supervisor: User, name: string, displayName?: string): number {
  const product = catalog.classes.create(name, displayName?.trim() || name);
  catalog.audit.record({ userId: supervisor.id, actor: supervisor.name, action: 'product.create', target: name });
  return product.id;
}

/**
 * What an imported image is to its product: a good image to train on, or a labelled defect that
 * only validates models (never trained on: training reads the train split's good images alone).
 */
export type ImportKind = 'good' | 'defect';

const IMPORT_KINDS: Record<ImportKind, { split: 'train' | 'validation'; label: 'good' | 'defect'; action: string }> = {
  good: { split: 'train', label: 'good', action: 'product.import' },
  defect: { split: 'validation', label: 'defect', action: 'product.import-defects' },
};

/**
 * Adds images to a product: good images to its training set, or labelled defects for validation
 * (docs/ARCHITECTURE.md, Validation on labelled defects). Each must decode (so a broken file never
 * reaches training), is stored under the station's images folder by content hash, and duplicates of
 * images the product has already are skipped.
 */
export async function importImages(
  catalog: Catalog,
  paths: StationPaths,
  supervisor: User,
  productName: string,
  files: readonly { fileName: string; bytes: Buffer }[],
  kind: ImportKind,
): Promise<ImportReport> {
  const product = catalog.classes.getByName(productName);
  if (!product) throw new DomainError('not-found', `No product named "${productName}"`);
  const rejected: ImportReport['rejected'] = [];
  const accepted: { fileName: string; file: string; sha256: string; width: number; height: number }[] = [];
  for (const { fileName, bytes } of files) {
    try {
      const image = await decodeRgb(bytes, { source: fileName, maxSide: 32 });
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const file = path.join(paths.imagesDir, 'products', String(product.id), `${sha256}.${sniffImageFormat(bytes) ?? 'img'}`);
      accepted.push({ fileName, file, sha256, width: image.sourceWidth, height: image.sourceHeight });
      writeFileAtomic(file, bytes);
    } catch (error) {
      if (!(error instanceof ImageDecodeError)) throw error;
      rejected.push({ fileName, reason: error.reason });
    }
  }
  const { added, duplicates } = catalog.samples.addMany(
    accepted.map((a) => ({
      classId: product.id,
      path: a.file,
      sha256: a.sha256,
      split: IMPORT_KINDS[kind].split,
      label: IMPORT_KINDS[kind].label,
      source: 'import' as const,
      width: a.width,
      height: a.height,
    })),
  );
  const duplicateNames = duplicates.map((d) => accepted.find((a) => a.sha256 === d.sha256)?.fileName ?? d.path);
  catalog.audit.record({
    userId: supervisor.id,
    actor: supervisor.name,
    action: IMPORT_KINDS[kind].action,
    target: productName,
    details: { added: added.length, duplicates: duplicates.length, rejected: rejected.length },
  });
  return { added: added.length, duplicates: duplicateNames, rejected };
}

/**
 * One click from History: the image of a past inspection becomes a good training image of its
 * product (a false reject, most often) or a labelled defect for validation (a false accept), through
 * the same checks as an import. Only the copy the station stored is read, never a path outside its
 * images folder; an inspection whose images were removed (retention, a full disk) has nothing to add.
 */
export async function addInspectionImage(
  catalog: Catalog,
  paths: StationPaths,
  supervisor: User,
  inspectionId: number,
  kind: ImportKind,
): Promise<ImportReport> {
  const row = catalog.inspections.get(inspectionId);
  if (!row) throw new DomainError('not-found', `No inspection #${inspectionId}`);
  const product = catalog.classes.get(row.classId);
  if (!product) throw new DomainError('not-found', `Inspection #${inspectionId} names no product the station has`);
  const stored = path.resolve(row.imagePath);
  const imagesDir = path.resolve(paths.imagesDir);
  if (row.imagesRemoved || !row.imagePath || !stored.startsWith(`${imagesDir}${path.sep}`))
    throw new DomainError('conflict', `Inspection #${inspectionId} has no stored image to add (it was removed, or never kept)`);
  const fileName = row.fileName ?? path.basename(stored);
  let bytes: Buffer;
  try {
    bytes = await readImageFile(stored, undefined, fileName);
  } catch (error) {
    if (!(error instanceof ImageDecodeError)) throw error;
    throw new DomainError('conflict', `Inspection #${inspectionId}'s stored image cannot be read: ${error.message}`);
  }
  const report = await importImages(catalog, paths, supervisor, product.name, [{ fileName, bytes }], kind);
  // Saying what the part was reviews its verdict: a good part that failed is a false reject, a defect that passed a false accept.
  if (row.review === null && (kind === 'good') === (row.verdict === 'fail'))
    catalog.inspections.setReview(inspectionId, kind === 'good' ? 'false-reject' : 'false-accept');
  catalog.audit.record({
    userId: supervisor.id,
    actor: supervisor.name,
    action: kind === 'good' ? 'inspection.add-as-good' : 'inspection.add-as-defect',
    target: String(inspectionId),
    details: { product: product.name, added: report.added },
  });
  return report;
}
