import type { ModelSummary } from '../../../shared/api/apiRecords';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorScope } from '../../components/ErrorScope';
import { useApiCall } from '../../hooks/useApiCall';
import { formatDuration, formatDateTime } from '../../lib/formatTime';
import { useStationInfo } from '../../state/StationInfoContext';
import { ModelClassTable } from './ModelClassTable';
import { ModelValidationPanel } from './ModelValidationPanel';

interface Props {
  models: readonly ModelSummary[];
  onPromoted: () => void;
}

/** Every model version; candidates can be promoted and retired ones rolled back to. */
export function ModelList({ models, onPromoted }: Props) {
  const { supervisor } = useStationInfo();
  const promote = useApiCall((client, version: string) => client['models.promote']({ version }));

  const onPromote = async (version: string) => {
    if (await promote.run(version)) onPromoted();
  };

  if (models.length === 0)
    return (
      <p className="muted" data-testid="model-list">
        No models yet. Train one above.
      </p>
    );
  return (
    <ul className="model-list" data-testid="model-list">
      {models.map((model) => (
        <li
          key={model.version}
          className={`model model--${model.status}`}
          data-testid="model-row"
          data-version={model.version}
          data-status={model.status}
        >
          <div className="model__header">
            <strong className="model__version">{model.version}</strong>
            <span className={`tag tag--${model.status}`}>{model.status}</span>
            <span className="muted">
              {formatDateTime(model.createdAt)} · {model.classes.length} products
              {model.preset ? ` · ${model.preset === 'fast' ? 'quick training' : 'thorough training'}` : ''}
              {model.trainSeconds !== null ? ` · trained in ${formatDuration(model.trainSeconds)}` : ''}
            </span>
            {model.status !== 'active' && (
              <ConfirmButton
                label={model.status === 'candidate' ? 'Promote' : 'Roll back to this'}
                question={`Inspect with ${model.version} from the next part on?`}
                confirmLabel={model.status === 'candidate' ? 'Yes, promote' : 'Yes, roll back'}
                className="button button--primary"
                testId="promote-button"
                disabled={!supervisor || promote.pending}
                onConfirm={() => void onPromote(model.version)}
              />
            )}
          </div>
          {model.status === 'candidate' ? (
            <ModelClassTable classes={model.classes} />
          ) : (
            <details>
              <summary>{model.classes.length} products</summary>
              <ModelClassTable classes={model.classes} />
            </details>
          )}
          {/* A validation that fails says so under its own model's button, not at the top of the list. */}
          <ErrorScope>
            <ModelValidationPanel version={model.version} />
          </ErrorScope>
          {/* For engineers: what the model is built on, in the method's own words. */}
          <details className="muted" data-testid="model-technical">
            <summary>Technical details</summary>
            image backbone {model.backbone} · {model.textTower}
            {model.preset ? ` · preset ${model.preset}` : ''}
          </details>
        </li>
      ))}
    </ul>
  );
}
