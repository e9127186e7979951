import { useState } from 'react';
import type { ProductSummary } from '../../../shared/api/apiRecords';
import { DropZone } from '../../components/DropZone';
import { ProductSelect } from '../../components/ProductSelect';
import { useApiCall } from '../../hooks/useApiCall';
import { useStationInfo } from '../../state/StationInfoContext';
import { importGoodImages, type ImportProgress } from './importGoodImages';

interface Props {
  products: readonly ProductSummary[];
  onImported: () => void;
}

/** Good images (or labelled defects, for validation) into a product from files, a whole folder, or a drop. */
export function ImportImagesPanel({ products, onImported }: Props) {
  const { supervisor } = useStationInfo();
  const [chosen, setProduct] = useState('');
  // Derived rather than defaulted in an effect, so a choice made while the list loads is never overwritten.
  const product = products.some((p) => p.name === chosen) ? chosen : (products[0]?.name ?? '');
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [kind, setKind] = useState<'good' | 'defect'>('good');
  const importCall = useApiCall((client, name: string, files: File[]) => importGoodImages(client, name, files, setProgress, kind));

  const canImport = supervisor !== null && product !== '' && !importCall.pending;
  const start = async (files: File[], input?: HTMLInputElement) => {
    // The caller copied the FileList already; clearing lets the same files be chosen again.
    if (input) input.value = '';
    if (!canImport || files.length === 0) return;
    await importCall.run(product, files);
    onImported();
  };

  return (
    <div className="import-panel">
      <div className="inline-form">
        <ProductSelect products={products} value={product} onChange={setProduct} testId="import-product-select" label="Into product" />
        <label className="field">
          <span className="field__label">As</span>
          <select data-testid="import-kind" value={kind} onChange={(event) => setKind(event.target.value as 'good' | 'defect')}>
            <option value="good">good images (to train on)</option>
            <option value="defect">defective parts (to validate models)</option>
          </select>
        </label>
      </div>
      <DropZone onFiles={(files) => void start(files)} disabled={!canImport}>
        <p>{kind === 'good' ? 'Drop good images or a folder here, or' : 'Drop images of defective parts or a folder here, or'}</p>
        <div className="button-row">
          <label className={`button file-button${canImport ? '' : ' button--disabled'}`}>
            Choose images…
            <input
              data-testid="import-files"
              type="file"
              multiple
              accept="image/*"
              disabled={!canImport}
              onChange={(event) => void start([...(event.target.files ?? [])], event.target)}
            />
          </label>
          <label className={`button file-button${canImport ? '' : ' button--disabled'}`}>
            Choose a folder…
            <input
              data-testid="import-folder"
              type="file"
              webkitdirectory=""
              multiple
              disabled={!canImport}
              onChange={(event) => void start([...(event.target.files ?? [])], event.target)}
            />
          </label>
        </div>
      </DropZone>
      {progress && <ImportSummary progress={progress} failed={importCall.pending ? null : importCall.error} />}
    </div>
  );
}

function ImportSummary({ progress, failed }: { progress: ImportProgress; failed: string | null }) {
  const running = progress.done < progress.total && !failed;
  return (
    <div
      className="import-result"
      data-testid="import-result"
      data-added={progress.added}
      data-duplicates={progress.duplicates.length}
      data-rejected={progress.rejected.length}
    >
      <p className="big">
        {running ? `Importing ${progress.done} of ${progress.total}… ` : ''}
        Added {progress.added} · duplicates skipped {progress.duplicates.length} · rejected {progress.rejected.length}
      </p>
      {failed && (
        <p className="notice notice--error">
          Import stopped after {progress.done} of {progress.total} files: {failed}
        </p>
      )}
      {progress.duplicates.length > 0 && (
        <details>
          <summary>Duplicates skipped ({progress.duplicates.length})</summary>
          <ul>
            {progress.duplicates.map((name, index) => (
              <li key={`${name}-${index}`} className="wrap">
                {name}
              </li>
            ))}
          </ul>
        </details>
      )}
      {progress.rejected.length > 0 && (
        <ul className="import-result__rejected">
          {progress.rejected.map((rejected, index) => (
            <li key={`${rejected.fileName}-${index}`}>
              <strong className="wrap">{rejected.fileName}</strong>: {rejected.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
