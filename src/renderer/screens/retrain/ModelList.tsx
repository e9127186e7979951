import type { ModelSummary } from '../../../shared/api/apiRecords';
import { useApiCall } from '../../hooks/useApiCall';
import { formatDuration, formatDateTime } from '../../lib/formatTime';
import { useStationInfo } from '../../state/StationInfoContext';
import { ModelClassTable } from './ModelClassTable';

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
              {formatDateTime(model.createdAt)} · {model.backbone} · text tower {model.textTower}
              {model.preset ? ` · ${model.preset}` : ''}
              {model.trainSeconds !== null ? ` · trained in ${formatDuration(model.trainSeconds)}` : ''}
            </span>
            {model.status !== 'active' && (
              <button
                type="button"
                className="button button--primary"
                data-testid="promote-button"
                disabled={!supervisor || promote.pending}
                onClick={() => void onPromote(model.version)}
              >
                {model.status === 'candidate' ? 'Promote' : 'Roll back to this'}
              </button>
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
        </li>
      ))}
    </ul>
  );
}
