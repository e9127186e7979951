import type { ReportFilter } from '../../../shared/api/apiRecords';
import type { Catalog } from '../../catalog/catalog';
import type { InspectionQuery } from '../../catalog/repositories/inspectionRepository';
import { DomainError } from '../../domainError';

/** History and report filters (product by name, ISO times) as a catalogue query. */
export function inspectionQuery(catalog: Catalog, filter: ReportFilter): InspectionQuery {
  const query: InspectionQuery = {};
  if (filter.product) {
    const product = catalog.classes.getByName(filter.product);
    if (!product) throw new DomainError('not-found', `No product named "${filter.product}"`);
    query.classId = product.id;
  }
  // Stored times are UTC ISO strings: compare like with like.
  if (filter.from) query.from = new Date(filter.from).toISOString();
  if (filter.to) query.to = new Date(filter.to).toISOString();
  if (filter.verdict) query.verdict = filter.verdict;
  return query;
}
