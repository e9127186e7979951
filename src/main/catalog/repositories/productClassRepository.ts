import type Database from 'better-sqlite3';
import type { ProductClass, ProductClassWithCounts } from '../../../shared/catalogTypes';
import { isAcceptableProductName, PRODUCT_NAME_RULE } from '../../../shared/productNameRule';
import { DomainError } from '../../domainError';
import { nowIso } from './jsonColumn';

interface ProductClassRow {
  id: number;
  name: string;
  display_name: string;
  created_at: string;
  archived: number;
}

const toProductClass = (row: ProductClassRow): ProductClass => ({
  id: row.id,
  name: row.name,
  displayName: row.display_name,
  createdAt: row.created_at,
  archived: row.archived === 1,
});

/** Product classes: what the station inspects, one LTAD class each. */
export class ProductClassRepository {
  constructor(private readonly db: Database.Database) {}

  create(name: string, displayName = name): ProductClass {
    if (!isAcceptableProductName(name)) throw new DomainError('invalid-input', `Product name "${name}": ${PRODUCT_NAME_RULE}`);
    if (this.getByName(name)) throw new DomainError('conflict', `A product named "${name}" exists already`);
    const info = this.db
      .prepare('INSERT INTO product_classes (name, display_name, created_at) VALUES (?, ?, ?)')
      .run(name, displayName, nowIso());
    return this.get(Number(info.lastInsertRowid)) as ProductClass;
  }

  get(id: number): ProductClass | undefined {
    const row = this.db.prepare('SELECT * FROM product_classes WHERE id = ?').get(id) as ProductClassRow | undefined;
    return row && toProductClass(row);
  }

  getByName(name: string): ProductClass | undefined {
    const row = this.db.prepare('SELECT * FROM product_classes WHERE name = ?').get(name) as ProductClassRow | undefined;
    return row && toProductClass(row);
  }

  /** Every class with its number of good training images: the long tail, smallest last. */
  listWithCounts(includeArchived = false): ProductClassWithCounts[] {
    const rows = this.db
      .prepare(
        `SELECT c.*, COUNT(s.id) AS good_train
         FROM product_classes c
         LEFT JOIN sample_images s ON s.class_id = c.id AND s.split = 'train' AND s.label = 'good'
         WHERE (? = 1 OR c.archived = 0)
         GROUP BY c.id
         ORDER BY good_train DESC, c.name`,
      )
      .all(includeArchived ? 1 : 0) as (ProductClassRow & { good_train: number })[];
    return rows.map((row) => ({ ...toProductClass(row), goodTrainImages: row.good_train }));
  }

  setArchived(id: number, archived: boolean): void {
    this.db.prepare('UPDATE product_classes SET archived = ? WHERE id = ?').run(archived ? 1 : 0, id);
  }
}
