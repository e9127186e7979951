import { useState, type FormEvent } from 'react';
import type { ProductSummary } from '../../../shared/api/apiRecords';
import { useApiCall } from '../../hooks/useApiCall';
import { useStationInfo } from '../../state/StationInfoContext';

/** products.create: a new product type, ready for its good images. */
export function CreateProductForm({ onCreated }: { onCreated: (product: ProductSummary) => void }) {
  const { supervisor } = useStationInfo();
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const create = useApiCall((client, input: { name: string; displayName?: string }) => client['products.create'](input));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmedDisplay = displayName.trim();
    const created = await create.run({ name: name.trim(), ...(trimmedDisplay ? { displayName: trimmedDisplay } : {}) });
    if (created) {
      setName('');
      setDisplayName('');
      onCreated(created);
    }
  };

  return (
    <form className="inline-form" onSubmit={(event) => void onSubmit(event)}>
      <label className="field">
        <span className="field__label">New product name</span>
        <input data-testid="new-product-name" value={name} disabled={!supervisor} onChange={(event) => setName(event.target.value)} />
      </label>
      <label className="field">
        <span className="field__label">Display name (optional)</span>
        <input
          data-testid="new-product-display-name"
          value={displayName}
          disabled={!supervisor}
          onChange={(event) => setDisplayName(event.target.value)}
        />
      </label>
      <button
        type="submit"
        className="button button--primary"
        data-testid="create-product"
        disabled={!supervisor || !name.trim() || create.pending}
      >
        Create product
      </button>
    </form>
  );
}
