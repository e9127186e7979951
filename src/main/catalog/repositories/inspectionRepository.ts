import type Database from 'better-sqlite3';
import type { DefectRegion, ImagesRemovedReason, Inspection, InspectionReview, SampleSource, Verdict } from '../../../shared/catalogTypes';
import { DomainError } from '../../domainError';

export type NewInspection = Omit<Inspection, 'id' | 'review' | 'imagesRemoved' | 'scoreSpread'> & {
  imagesRemoved?: ImagesRemovedReason | null;
  scoreSpread?: number | null;
};

export interface InspectionQuery {
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
  classId?: number;
  verdict?: Verdict;
  limit?: number;
  offset?: number;
}

interface InspectionRow {
  id: number;
  at: string;
  station: string;
  operator_id: number | null;
  class_id: number;
  image_path: string;
  image_sha256: string;
  score: number;
  threshold: number;
  verdict: Verdict;
  model_version_id: number;
  anomaly_map_path: string | null;
  overlay_path: string | null;
  file_name: string | null;
  nearest_class: string | null;
  latency_ms: number | null;
  source: SampleSource;
  class_warning: number;
  review: InspectionReview | null;
  images_removed: ImagesRemovedReason | null;
  score_spread: number | null;
}

interface RegionRow {
  inspection_id: number;
  x: number;
  y: number;
  width: number;
  height: number;
  area: number;
  peak_score: number;
  mean_score: number;
}

/** Why a part failed, as the reports count it. */
export type FailureReason = 'defect' | 'wrong-product' | 'false-reject';

const WHERE = `WHERE (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
  AND (@classId IS NULL OR class_id = @classId) AND (@verdict IS NULL OR verdict = @verdict)`;

/** Inspection results with their defect regions. */
export class InspectionRepository {
  constructor(private readonly db: Database.Database) {}

  record(inspection: NewInspection): Inspection {
    const insert = this.db.prepare(
      `INSERT INTO inspections (at, station, operator_id, class_id, image_path, image_sha256, score, threshold, verdict,
         model_version_id, anomaly_map_path, overlay_path, file_name, nearest_class, latency_ms, source, class_warning, images_removed, score_spread)
       VALUES (@at, @station, @operatorId, @classId, @imagePath, @imageSha256, @score, @threshold, @verdict,
         @modelVersionId, @anomalyMapPath, @overlayPath, @fileName, @nearestClass, @latencyMs, @source, @classWarning, @imagesRemoved, @scoreSpread)`,
    );
    const insertRegion = this.db.prepare(
      `INSERT INTO defect_regions (inspection_id, x, y, width, height, area, peak_score, mean_score)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const id = this.db.transaction(() => {
      const { regions, ...fields } = inspection;
      const rowId = Number(
        insert.run({
          ...fields,
          classWarning: fields.classWarning ? 1 : 0,
          imagesRemoved: fields.imagesRemoved ?? null,
          scoreSpread: fields.scoreSpread ?? null,
        }).lastInsertRowid,
      );
      for (const r of regions) insertRegion.run(rowId, r.x, r.y, r.width, r.height, r.area, r.peakScore, r.meanScore);
      return rowId;
    })();
    return this.get(id) as Inspection;
  }

  /** Inspections recorded after `id`, oldest first, at most `limit`: what a results feed has yet to send. */
  after(id: number, limit: number): Inspection[] {
    const rows = this.db.prepare('SELECT * FROM inspections WHERE id > ? ORDER BY id LIMIT ?').all(id, limit) as InspectionRow[];
    return this.withRegions(rows);
  }

  /** The id of the `n`th inspection after `id` (1 = the next), or null when there are fewer. */
  nthIdAfter(id: number, n: number): number | null {
    const row = this.db.prepare('SELECT id FROM inspections WHERE id > ? ORDER BY id LIMIT 1 OFFSET ?').get(id, n - 1) as
      | { id: number }
      | undefined;
    return row?.id ?? null;
  }

  /** How many inspections were recorded after `id`, and the id of the newest (0 when there are none). */
  backlogAfter(id: number): { count: number; newestId: number } {
    const row = this.db.prepare('SELECT COUNT(*) AS count, MAX(id) AS newest FROM inspections WHERE id > ?').get(id) as {
      count: number;
      newest: number | null;
    };
    const newestId = row.newest ?? (this.db.prepare('SELECT MAX(id) AS m FROM inspections').get() as { m: number | null }).m ?? 0;
    return { count: row.count, newestId };
  }

  /** Time of the newest inspection, or null. */
  latestAt(): string | null {
    return (this.db.prepare('SELECT MAX(at) AS at FROM inspections').get() as { at: string | null }).at;
  }

  /** Every file (image, map, overlay) that inspections since `since` point at. */
  filesSince(since: string): Set<string> {
    const rows = this.db
      .prepare('SELECT image_path AS a, anomaly_map_path AS b, overlay_path AS c FROM inspections WHERE at >= ?')
      .all(since) as { a: string; b: string | null; c: string | null }[];
    return new Set(rows.flatMap((r) => [r.a, r.b, r.c].filter((f): f is string => f !== null)));
  }

  /** Inspections that still have their files, oldest first (for retention). */
  *keptOldestFirst(): Generator<{ id: number; at: string; files: string[] }> {
    const rows = this.db
      .prepare(
        'SELECT id, at, image_path AS a, anomaly_map_path AS b, overlay_path AS c FROM inspections WHERE images_removed IS NULL ORDER BY at, id',
      )
      .iterate() as IterableIterator<{ id: number; at: string; a: string; b: string | null; c: string | null }>;
    for (const r of rows) yield { id: r.id, at: r.at, files: [r.a, r.b, r.c].filter((f): f is string => !!f) };
  }

  /** The record stays; its files are gone (their paths are kept for the audit trail). */
  markImagesRemoved(ids: readonly number[], reason: ImagesRemovedReason): void {
    const mark = this.db.prepare('UPDATE inspections SET images_removed = ? WHERE id = ?');
    this.db.transaction(() => ids.forEach((id) => mark.run(reason, id)))();
  }

  get(id: number): Inspection | undefined {
    const row = this.db.prepare('SELECT * FROM inspections WHERE id = ?').get(id) as InspectionRow | undefined;
    return row && this.withRegions([row])[0];
  }

  /** Newest first, one page. */
  list(query: InspectionQuery = {}): Inspection[] {
    const rows = this.db
      .prepare(`SELECT * FROM inspections ${WHERE} ORDER BY at DESC, id DESC LIMIT @limit OFFSET @offset`)
      .all({ ...params(query), limit: query.limit ?? 50, offset: query.offset ?? 0 }) as InspectionRow[];
    return this.withRegions(rows);
  }

  count(query: InspectionQuery = {}): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM inspections ${WHERE}`).get(params(query)) as { n: number }).n;
  }

  /**
   * Inspected and failed per local day (`utcOffsetMinutes` east of UTC: the station's days, not
   * UTC's), oldest first, for the defect rate over time.
   */
  dailyCounts(query: InspectionQuery, utcOffsetMinutes: number): { day: string; inspected: number; failed: number }[] {
    const shift = `${Math.round(utcOffsetMinutes) >= 0 ? '+' : ''}${Math.round(utcOffsetMinutes)} minutes`;
    return this.db
      .prepare(
        `SELECT date(at, @shift) AS day, COUNT(*) AS inspected, SUM(verdict = 'fail') AS failed
         FROM inspections ${WHERE} GROUP BY day ORDER BY day`,
      )
      .all({ ...params(query), shift }) as { day: string; inspected: number; failed: number }[];
  }

  /**
   * Failed parts per product and reason, for a Pareto: a part that does not look like its product,
   * a failure a person reviewed as a false reject, or a defect found.
   */
  failureCounts(query: InspectionQuery): { classId: number; reason: FailureReason; failed: number }[] {
    return this.db
      .prepare(
        `SELECT class_id AS classId,
           CASE WHEN class_warning = 1 THEN 'wrong-product' WHEN review = 'false-reject' THEN 'false-reject' ELSE 'defect' END AS reason,
           COUNT(*) AS failed
         FROM inspections ${WHERE} AND verdict = 'fail' GROUP BY classId, reason ORDER BY failed DESC`,
      )
      .all(params(query)) as { classId: number; reason: FailureReason; failed: number }[];
  }

  /**
   * Raw scores of defective parts of a product under one model, for its threshold chart: parts a
   * person reviewed as false accepts (defects that passed), and failed parts nobody reviewed as
   * false rejects (parts that did not look like the product excluded: their score says nothing
   * about the threshold). Newest first, at most `limit`.
   */
  defectScores(modelVersionId: number, classId: number, limit = 500): { score: number; kind: 'false-accept' | 'failed' }[] {
    return this.db
      .prepare(
        `SELECT score, CASE WHEN review = 'false-accept' THEN 'false-accept' ELSE 'failed' END AS kind
         FROM inspections
         WHERE model_version_id = ? AND class_id = ? AND class_warning = 0
           AND (review = 'false-accept' OR (verdict = 'fail' AND review IS NULL))
         ORDER BY at DESC, id DESC LIMIT ?`,
      )
      .all(modelVersionId, classId, limit) as { score: number; kind: 'false-accept' | 'failed' }[];
  }

  /** Oldest first, without loading the whole range: for CSV export of large ranges. */
  *iterate(query: InspectionQuery = {}): Generator<Inspection> {
    const rows = this.db
      .prepare(`SELECT * FROM inspections ${WHERE} ORDER BY at, id`)
      .iterate(params(query)) as IterableIterator<InspectionRow>;
    for (const row of rows) yield this.withRegions([row])[0] as Inspection;
  }

  setReview(id: number, review: InspectionReview | null): void {
    const changes = this.db.prepare('UPDATE inspections SET review = ? WHERE id = ?').run(review, id).changes;
    if (changes === 0) throw new DomainError('not-found', `Inspection ${id} does not exist`);
  }

  private withRegions(rows: InspectionRow[]): Inspection[] {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const regionRows = this.db
      .prepare(`SELECT * FROM defect_regions WHERE inspection_id IN (${ids.map(() => '?').join(',')}) ORDER BY area DESC, id`)
      .all(...ids) as RegionRow[];
    const byInspection = new Map<number, DefectRegion[]>();
    for (const r of regionRows) {
      const list = byInspection.get(r.inspection_id) ?? [];
      list.push({ x: r.x, y: r.y, width: r.width, height: r.height, area: r.area, peakScore: r.peak_score, meanScore: r.mean_score });
      byInspection.set(r.inspection_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      station: r.station,
      operatorId: r.operator_id,
      classId: r.class_id,
      imagePath: r.image_path,
      imageSha256: r.image_sha256,
      score: r.score,
      threshold: r.threshold,
      verdict: r.verdict,
      modelVersionId: r.model_version_id,
      anomalyMapPath: r.anomaly_map_path,
      overlayPath: r.overlay_path,
      fileName: r.file_name,
      nearestClass: r.nearest_class,
      latencyMs: r.latency_ms,
      source: r.source,
      classWarning: r.class_warning === 1,
      review: r.review,
      imagesRemoved: r.images_removed ?? null,
      scoreSpread: r.score_spread ?? null,
      regions: byInspection.get(r.id) ?? [],
    }));
  }
}

function params(q: InspectionQuery): Record<string, unknown> {
  return { from: q.from ?? null, to: q.to ?? null, classId: q.classId ?? null, verdict: q.verdict ?? null };
}
