import { useEffect, useRef, useState } from 'react';
import type { ProductSummary, TrainingStatus } from '../../../shared/api/apiRecords';
import { TRAINING_PRESETS, type TrainingPreset } from '../../../shared/training';
import { ConfirmButton } from '../../components/ConfirmButton';
import { useApiCall } from '../../hooks/useApiCall';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useStationEvent } from '../../hooks/useStationEvent';
import { formatDuration } from '../../lib/formatTime';
import { useStationInfo } from '../../state/StationInfoContext';
import { LossChart } from './LossChart';
import { phaseText } from '../../lib/trainingPhases';
import { retrainReason } from '../../lib/retrainNeed';

interface Props {
  /** The products, to say which have good images the active model has not learnt. */
  products: readonly ProductSummary[];
  onFinished: () => void;
}

/** Starts and cancels training; follows it live through `training.progress` events. */
export function TrainingPanel({ products, onFinished }: Props) {
  const { supervisor } = useStationInfo();
  const [preset, setPreset] = useState<TrainingPreset>('fast');
  const status = useApiQuery((client) => client['training.status']({}), []);
  const start = useApiCall((client, chosen: TrainingPreset) => client['training.start']({ preset: chosen }));
  const cancel = useApiCall((client) => client['training.cancel']({}));
  const show = (next: TrainingStatus) => status.setData(next);
  useStationEvent('training.progress', show);

  const current = status.data;
  // A run that just ended has registered a new candidate model: the model list must know.
  const previousState = useRef(current?.state);
  const onFinishedRef = useRef(onFinished);
  onFinishedRef.current = onFinished;
  useEffect(() => {
    if (previousState.current === 'running' && current && current.state !== 'running') onFinishedRef.current();
    previousState.current = current?.state;
  }, [current]);

  const running = current?.state === 'running';
  // Only products with good images: training cannot take the others.
  const needRetrain = products.flatMap((p) => {
    const reason = p.goodImages > 0 ? retrainReason(p) : null;
    return reason ? [`${p.name} (${reason})`] : [];
  });
  // The whole run's progress, both phases, not the phase's alone.
  const fraction = current && current.runSteps > 0 ? Math.min(1, current.runStep / current.runSteps) : 0;

  return (
    <div className="training">
      {needRetrain.length > 0 && (
        <p className="notice" data-testid="retrain-needed">
          Needs a retrain: {needRetrain.join('; ')}.
        </p>
      )}
      <div className="inline-form">
        <label className="field">
          <span className="field__label">Preset</span>
          <select
            data-testid="train-preset"
            value={preset}
            onChange={(event) => setPreset(TRAINING_PRESETS.find((p) => p === event.target.value) ?? 'fast')}
          >
            {TRAINING_PRESETS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button button--primary"
          data-testid="train-start"
          disabled={!supervisor || running || start.pending}
          onClick={() => void start.run(preset).then((next) => next && show(next))}
        >
          Start training
        </button>
        <ConfirmButton
          label="Cancel"
          question="Stop this training run? What it has learnt so far is thrown away."
          confirmLabel="Yes, stop it"
          className="button button--danger"
          testId="train-cancel"
          disabled={!supervisor || !running || cancel.pending}
          onConfirm={() => void cancel.run().then((next) => next && show(next))}
        />
      </div>
      <dl className="facts">
        <div>
          <dt>State</dt>
          <dd data-testid="training-state" data-state={current?.state}>
            {current?.state ?? '…'}
          </dd>
        </div>
        <div>
          <dt>Phase</dt>
          <dd data-testid="training-phase" data-phase={current?.phase ?? ''}>
            {phaseText(current)}
          </dd>
        </div>
        <div>
          <dt>Epoch</dt>
          <dd data-testid="training-epoch">{current ? `${current.epoch}/${current.epochs}` : '—'}</dd>
        </div>
        <div>
          <dt>Step</dt>
          <dd data-testid="training-step" title={current ? `step ${current.step}/${current.steps} of this phase` : undefined}>
            {current ? `${current.runStep}/${current.runSteps}` : '—'}
          </dd>
        </div>
        <div>
          <dt>Training time left</dt>
          <dd data-testid="training-eta">{running ? formatDuration(current.etaSeconds) : '—'}</dd>
        </div>
        {current?.modelVersion && (
          <div>
            <dt>Model</dt>
            <dd data-testid="training-model">{current.modelVersion}</dd>
          </div>
        )}
      </dl>
      {running && <progress className="progress" max={1} value={fraction} aria-label="Training progress" />}
      {current?.error && <p className="notice notice--error">Training failed: {current.error}</p>}
      <LossChart losses={current?.losses ?? []} />
    </div>
  );
}
