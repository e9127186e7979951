import { useEffect, useState } from 'react';
import type { ModelSummary, ModelValidation } from '../../../shared/api/apiRecords';
import { useApiCall } from '../../hooks/useApiCall';
import { falseRejectCount, falseRejectRate } from '../../../shared/falseRejectRate';
import { formatPercent, formatScore } from '../../lib/formatNumbers';
import { useStationInfo } from '../../state/StationInfoContext';
import { ConfirmButton } from '../../components/ConfirmButton';
import { thresholdRange } from '../../lib/histogram';
import { ThresholdHistogram } from './ThresholdHistogram';

interface Props {
  models: readonly ModelSummary[];
  /** Each model's latest validation on labelled defects (ModelValidationPanel), by version. */
  validations?: Readonly<Record<string, ModelValidation>>;
  onUpdated: (model: ModelSummary) => void;
}

/** Moves one product's threshold and shows, live, how many good images it would reject. */
export function ThresholdTuner({ models, validations = {}, onUpdated }: Props) {
  const { supervisor } = useStationInfo();
  const [chosenVersion, setVersion] = useState('');
  const [chosenProduct, setProduct] = useState('');
  const [thresholdText, setThresholdText] = useState('');
  const apply = useApiCall((client, input: { version: string; product: string; threshold: number }) =>
    client['models.setThreshold'](input),
  );

  // The supervisor's choice while it exists, else the active model (else the newest) and its first product.
  // Derived, not defaulted in effects, so a choice made while the list loads is never overwritten.
  const model = models.find((m) => m.version === chosenVersion) ?? models.find((m) => m.status === 'active') ?? models[0];
  const version = model?.version ?? '';
  const modelClass = model?.classes.find((c) => c.product === chosenProduct) ?? model?.classes[0];
  const product = modelClass?.product ?? '';

  // A new model or product (or a threshold saved elsewhere) resets the input to the stored value.
  const storedThreshold = modelClass?.threshold;
  // biome-ignore lint/correctness/useExhaustiveDependencies: version and product are the reset triggers
  useEffect(() => {
    if (storedThreshold !== undefined) setThresholdText(String(Number(storedThreshold.toPrecision(6))));
  }, [version, product, storedThreshold]);

  if (models.length === 0) return <p className="muted">No models yet.</p>;

  const threshold = Number(thresholdText);
  const validThreshold = thresholdText.trim() !== '' && Number.isFinite(threshold);
  const goodScores = modelClass?.goodScores ?? [];
  const shownThreshold = validThreshold ? threshold : (storedThreshold ?? 0);
  const defectScores = modelClass?.defectScores ?? [];
  const validationScores = validations[version]?.products.find((p) => p.product === product)?.candidate.defectScores ?? [];
  const range = thresholdRange(
    [...goodScores, ...defectScores.map((d) => d.score), ...validationScores],
    storedThreshold ?? 0,
    shownThreshold,
  );

  const onApply = async () => {
    if (!model || !modelClass || !validThreshold) return;
    const updated = await apply.run({ version: model.version, product: modelClass.product, threshold });
    if (updated) onUpdated(updated);
  };

  return (
    <div className="threshold-tuner">
      <div className="inline-form">
        <label className="field">
          <span className="field__label">Model</span>
          <select data-testid="threshold-model-select" value={version} onChange={(event) => setVersion(event.target.value)}>
            {models.map((m) => (
              <option key={m.version} value={m.version}>
                {m.version} ({m.status})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Product</span>
          <select data-testid="threshold-product-select" value={product} onChange={(event) => setProduct(event.target.value)}>
            {(model?.classes ?? []).map((c) => (
              <option key={c.product} value={c.product}>
                {c.product}
              </option>
            ))}
          </select>
        </label>
      </div>
      {modelClass && (
        <>
          <ThresholdHistogram
            goodScores={goodScores}
            defectScores={defectScores}
            validationScores={validationScores}
            threshold={shownThreshold}
            range={range}
          />
          <div className="inline-form">
            <label className="field field--narrow">
              <span className="field__label" title="Operators see this threshold as 0.50 on the normalised score">
                Threshold (raw score)
              </span>
              <input
                data-testid="threshold-input"
                type="number"
                step="any"
                value={thresholdText}
                onChange={(event) => setThresholdText(event.target.value)}
              />
            </label>
            <label className="field field--grow">
              <span className="field__label">
                {formatScore(range.min)} … {formatScore(range.max)}
              </span>
              <input
                data-testid="threshold-slider"
                type="range"
                min={range.min}
                max={range.max}
                step="any"
                value={Math.min(range.max, Math.max(range.min, shownThreshold))}
                onChange={(event) => setThresholdText(event.target.value)}
              />
            </label>
          </div>
          <p className="big">
            False-reject rate on good images:{' '}
            <strong data-testid="threshold-frr">
              {goodScores.length > 0 ? formatPercent(falseRejectRate(goodScores, shownThreshold)) : 'n/a'}
            </strong>{' '}
            <span className="muted">
              ({falseRejectCount(goodScores, shownThreshold)} of {goodScores.length} above the threshold; now{' '}
              <span data-testid="threshold-now" data-source={modelClass.thresholdSource}>
                {formatScore(modelClass.threshold)}, from {modelClass.thresholdSource}
              </span>
              )
            </span>
          </p>
          {validationScores.length > 0 && (
            <p className="big">
              Labelled defects this threshold would pass:{' '}
              <strong data-testid="threshold-validation-escapes">
                {validationScores.filter((score) => score <= shownThreshold).length} of {validationScores.length}
              </strong>{' '}
              <span className="muted">(from the last validation of this model)</span>
            </p>
          )}
          {defectScores.length > 0 && (
            <p className="big">
              Defective parts this model would pass:{' '}
              <strong data-testid="threshold-escapes">
                {defectScores.filter((d) => d.score <= shownThreshold).length} of {defectScores.length}
              </strong>{' '}
              <span className="muted">(reviewed false accepts and failed parts inspected with this model)</span>
            </p>
          )}
          {!validThreshold && <p className="notice">Type a number.</p>}
          <p className="muted">
            Raw scores are the model's own scale: operators see whatever threshold is set here as 0.50, and every score relative to it.
          </p>
          <ConfirmButton
            label="Apply threshold"
            question={`Set ${product}'s threshold on ${version}${model?.status === 'active' ? ' (the active model: from the next part on)' : ''} to ${formatScore(threshold)}? ${
              goodScores.length > 0 ? `${formatPercent(falseRejectRate(goodScores, threshold))} of its good images would fail.` : ''
            }`}
            confirmLabel="Yes, apply"
            className="button button--primary"
            testId="threshold-apply"
            disabled={!supervisor || !validThreshold || apply.pending}
            onConfirm={() => void onApply()}
          />
        </>
      )}
    </div>
  );
}
