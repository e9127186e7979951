import type { ModelSummary } from '../../../shared/api/apiRecords';
import { formatPercent, formatScore } from '../../lib/formatNumbers';

/** Per product: its threshold, where the threshold came from, and how it does on held-out good images. */
export function ModelClassTable({ classes }: { classes: ModelSummary['classes'] }) {
  return (
    <table className="table table--compact">
      <thead>
        <tr>
          <th>Product</th>
          <th>Threshold</th>
          <th>From</th>
          <th>False rejects: on the images behind the threshold / on new parts, up to</th>
          <th>Train / held out</th>
        </tr>
      </thead>
      <tbody>
        {classes.map((cls) => (
          <tr key={cls.product} data-testid="model-class-row" data-product={cls.product}>
            <td>{cls.product}</td>
            <td>{formatScore(cls.threshold)}</td>
            <td data-testid="model-class-source">
              {thresholdSourceLabel(cls.thresholdSource)}
              {cls.carriedFrom && (
                <span className="muted">
                  {' '}
                  (carried from {cls.carriedFrom.version}, where it was {formatScore(cls.carriedFrom.threshold)})
                </span>
              )}
            </td>
            <td data-testid="model-class-false-rejects">
              {cls.nHeldOut > 0 ? formatPercent(cls.falseRejectRate) : 'n/a'} /{' '}
              {cls.newPartFalseRejectBound === null ? (
                <span title="The threshold was set on training images, which say nothing about new parts">unknown</span>
              ) : (
                formatPercent(cls.newPartFalseRejectBound)
              )}{' '}
              <span className="muted">(target {formatPercent(cls.targetFalseRejectRate)})</span>
            </td>
            <td>
              {cls.nTrain} / {cls.nHeldOut}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function thresholdSourceLabel(source: ModelSummary['classes'][number]['thresholdSource']): string {
  if (source === 'held-out') return 'held-out good images';
  if (source === 'training') return 'training images + margin';
  return 'set by supervisor';
}
