import type { ModelVersion } from '../../../shared/catalogTypes';
import type { Catalog } from '../../catalog/catalog';
import { DomainError } from '../../domainError';
import type { LtadModel } from '../../engine/ltad/ltadModel';
import { readModelDirectory } from '../../engineAdapters/modelDirectory';
import { openLtadModel } from '../../engineAdapters/openLtadModel';
import { initTfjs } from '../../engine/tfjsRuntime';

/** The named version, or the active one; its files are checked against the catalogue's hashes. */
export async function loadModelVersion(catalog: Catalog, version?: string): Promise<{ row: ModelVersion; model: LtadModel }> {
  await initTfjs();
  const row = version ? catalog.models.getByVersion(version) : catalog.models.active();
  if (!row)
    throw version
      ? new DomainError('not-found', `No model version "${version}" in this station's catalogue`)
      : new DomainError('no-model', 'No active model: train one and promote it, or name one with --model');
  // The thresholds in force are the catalogue's (read at each inspection); model.json keeps what training measured.
  const { meta, weights } = readModelDirectory(row.directory, row.fileHashes);
  return { row, model: openLtadModel(meta, weights) };
}
