import type Database from 'better-sqlite3';
import type { SampleImage, SampleLabel, SampleSource, SampleSplit } from '../../../shared/catalogTypes';
import { nowIso } from './jsonColumn';

export interface NewSampleImage {
  classId: number;
  path: string;
  sha256: string;
  split: SampleSplit;
  label: SampleLabel;
  source: SampleSource;
  defectType?: string | null;
  maskPath?: string | null;
  width?: number | null;
  height?: number | null;
}

interface SampleRow {
  id: number;
  class_id: number;
  path: string;
  sha256: string;
  split: SampleSplit;
  label: SampleLabel;
  defect_type: string | null;
  mask_path: string | null;
  source: SampleSource;
  width: number | null;
  height: number | null;
  added_at: string;
}

const toSample = (r: SampleRow): SampleImage => ({
  id: r.id,
  classId: r.class_id,
  path: r.path,
  sha256: r.sha256,
  split: r.split,
  label: r.label,
  defectType: r.defect_type,
  maskPath: r.mask_path,
  source: r.source,
  width: r.width,
  height: r.height,
  addedAt: r.added_at,
});

/** Sample images of each product; the same picture (by sha256) is stored once per product. */
export class SampleImageRepository {
  constructor(private readonly db: Database.Database) {}

  /** Adds the images that are new; returns how many were added and which were duplicates. */
  addMany(samples: readonly NewSampleImage[]): { added: SampleImage[]; duplicates: NewSampleImage[] } {
    const insert = this.db.prepare(
      // ON CONFLICT, not OR IGNORE: only a duplicate is skipped; CHECK failures still throw.
      `INSERT INTO sample_images
         (class_id, path, sha256, split, label, defect_type, mask_path, source, width, height, added_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (class_id, sha256) DO NOTHING`,
    );
    const added: SampleImage[] = [];
    const duplicates: NewSampleImage[] = [];
    this.db.transaction(() => {
      for (const s of samples) {
        const info = insert.run(
          s.classId,
          s.path,
          s.sha256,
          s.split,
          s.label,
          s.defectType ?? null,
          s.maskPath ?? null,
          s.source,
          s.width ?? null,
          s.height ?? null,
          nowIso(),
        );
        if (info.changes === 0) duplicates.push(s);
        else added.push(this.get(Number(info.lastInsertRowid)) as SampleImage);
      }
    })();
    return { added, duplicates };
  }

  get(id: number): SampleImage | undefined {
    const row = this.db.prepare('SELECT * FROM sample_images WHERE id = ?').get(id) as SampleRow | undefined;
    return row && toSample(row);
  }

  list(classId: number, filter: { split?: SampleSplit; label?: SampleLabel } = {}): SampleImage[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM sample_images WHERE class_id = @classId
         AND (@split IS NULL OR split = @split) AND (@label IS NULL OR label = @label) ORDER BY id`,
      )
      .all({ classId, split: filter.split ?? null, label: filter.label ?? null }) as SampleRow[];
    return rows.map(toSample);
  }

  /** How many images of each class (by id) have this split and label, optionally only those added after `addedAfter` (ISO 8601). */
  countByClass(filter: { split: SampleSplit; label: SampleLabel; addedAfter?: string }): Map<number, number> {
    const rows = this.db
      .prepare(
        `SELECT class_id, COUNT(*) AS n FROM sample_images
         WHERE split = @split AND label = @label AND (@addedAfter IS NULL OR added_at > @addedAfter)
         GROUP BY class_id`,
      )
      .all({ split: filter.split, label: filter.label, addedAfter: filter.addedAfter ?? null }) as { class_id: number; n: number }[];
    return new Map(rows.map((r) => [r.class_id, r.n]));
  }

  hasSha256(classId: number, sha256: string): boolean {
    return this.db.prepare('SELECT 1 FROM sample_images WHERE class_id = ? AND sha256 = ?').get(classId, sha256) !== undefined;
  }

  remove(id: number): void {
    this.db.prepare('DELETE FROM sample_images WHERE id = ?').run(id);
  }
}
