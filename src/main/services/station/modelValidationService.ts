import type { ModelValidation } from '../../../shared/api/apiRecords';
import type { Catalog } from '../../catalog/catalog';
import { DomainError } from '../../domainError';
import type { StationPaths } from '../../stationPaths';
import { validateModel } from '../inspection/modelValidation';

/**
 * A model (a candidate, most often) on every product's labelled defects, side by side with the
 * active model on the same defect images, before a supervisor promotes it.
 */
export async function validateBesideActive(catalog: Catalog, paths: StationPaths, version: string): Promise<ModelValidation> {
  if (!catalog.models.getByVersion(version)) throw new DomainError('not-found', `No model version "${version}"`);
  const active = catalog.models.active();
  const against = active && active.version !== version ? active.version : null;
  const candidate = await validateModel(catalog, paths, version);
  const beside = against ? await validateModel(catalog, paths, against) : new Map();
  return {
    version,
    against,
    products: [...candidate.entries()].map(([product, { defects, stats }]) => ({
      product,
      defects,
      candidate: stats,
      active: beside.get(product)?.stats ?? null,
    })),
  };
}
