import type { ProductSummary } from '../../shared/api/apiRecords';

interface Props {
  products: readonly ProductSummary[];
  value: string;
  onChange: (product: string) => void;
  testId: string;
  label: string;
  /** Text of an extra first option whose value is '' (e.g. "All products"). */
  emptyOption?: string;
  /** Products the active model does not know cannot be inspected: show them disabled. */
  requireInModel?: boolean;
  disabled?: boolean;
}

/** A product picker whose option values are product names. */
export function ProductSelect({ products, value, onChange, testId, label, emptyOption, requireInModel = false, disabled = false }: Props) {
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      <select data-testid={testId} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value)}>
        {emptyOption !== undefined && <option value="">{emptyOption}</option>}
        {products.map((product) => {
          const unavailable = requireInModel && !product.inActiveModel;
          return (
            <option key={product.id} value={product.name} disabled={unavailable}>
              {productLabel(product)}
              {unavailable ? ' (needs retrain)' : ''}
            </option>
          );
        })}
      </select>
    </label>
  );
}

function productLabel(product: ProductSummary): string {
  return product.displayName && product.displayName !== product.name ? `${product.displayName} (${product.name})` : product.name;
}
