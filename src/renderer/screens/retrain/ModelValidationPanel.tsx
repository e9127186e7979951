import type { ValidationStats } from '../../../shared/api/apiRecords';
import { useApiCall } from '../../hooks/useApiCall';
import { formatPercent } from '../../lib/formatNumbers';
import { useModelValidations } from '../../state/ModelValidationsContext';
import { useStationInfo } from '../../state/StationInfoContext';

const rate = (value: number | null) => (value === null ? '—' : formatPercent(value));
const aurocText = (value: number | null) => (value === null ? '—' : value.toFixed(3));

/** One model's numbers on one product: AUROC, false rejects, escapes and the confusion matrix behind them. */
function StatsCells({ stats, testId }: { stats: ValidationStats | null; testId: string }) {
  if (!stats)
    return (
      <td colSpan={4} className="muted">
        not in the active model
      </td>
    );
  const { confusion: c } = stats;
  return (
    <>
      <td data-testid={`${testId}-auroc`}>{aurocText(stats.imageAuroc)}</td>
      <td>
        {rate(stats.falseRejectRate)}
        {stats.goodFrom === 'training' && (
          <span className="muted"> (few good images were held out: measured with training images, which look better than new parts)</span>
        )}
      </td>
      <td data-testid={`${testId}-escapes`}>{rate(stats.escapeRate)}</td>
      <td className="confusion" data-testid={`${testId}-confusion`}>
        good: {c.goodPassed} pass / {c.goodFailed} fail · defect: {c.defectPassed} pass / {c.defectFailed} fail
        {stats.unreadable.length > 0 && <span className="muted"> · {stats.unreadable.length} unreadable</span>}
      </td>
    </>
  );
}

/**
 * Validates a model on the labelled defects of each product (imported as defective parts, or added
 * from History), at its thresholds in force, beside the active model on the same defect images. The
 * latest result is kept above the screens (the threshold chart shows its defect scores too).
 */
export function ModelValidationPanel({ version }: { version: string }) {
  const { supervisor } = useStationInfo();
  const { validations, remember } = useModelValidations();
  const result = validations[version] ?? null;
  const validate = useApiCall((client) => client['models.validate']({ version }));
  const run = async () => {
    const next = await validate.run();
    if (next) remember(next);
  };
  return (
    <div className="model-validation">
      <button
        type="button"
        className="button"
        data-testid="validate-button"
        disabled={!supervisor || validate.pending}
        onClick={() => void run()}
      >
        {validate.pending ? 'Validating…' : 'Validate on labelled defects'}
      </button>
      {result && result.products.length === 0 && (
        <p className="muted" data-testid="validation-empty">
          No product of this model has labelled defect images yet: import some under "Import", as defective parts, or add them from History.
        </p>
      )}
      {result && result.products.length > 0 && (
        <div className="table-scroll">
          <table className="table" data-testid="validation-table">
            <thead>
              <tr>
                <th rowSpan={2}>Product</th>
                <th rowSpan={2}>Defects</th>
                <th colSpan={4}>This model ({result.version})</th>
                {result.against && <th colSpan={4}>Active model ({result.against})</th>}
              </tr>
              <tr>
                {[...Array(result.against ? 2 : 1).keys()].flatMap((k) =>
                  ['image AUROC', 'false rejects', 'escapes', 'confusion'].map((h) => <th key={`${k}-${h}`}>{h}</th>),
                )}
              </tr>
            </thead>
            <tbody>
              {result.products.map((p) => (
                <tr key={p.product} data-testid="validation-row" data-product={p.product}>
                  <td>{p.product}</td>
                  <td>{p.defects}</td>
                  <StatsCells stats={p.candidate} testId="validation-candidate" />
                  {result.against && <StatsCells stats={p.active} testId="validation-active" />}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
