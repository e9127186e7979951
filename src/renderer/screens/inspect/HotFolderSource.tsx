import type { HotFolderStatus } from '../../../shared/api/apiRecords';
import { useApiCall } from '../../hooks/useApiCall';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useStationEvent } from '../../hooks/useStationEvent';
import { reasonWithoutFileName } from '../../lib/refusalReason';
import { formatClock } from '../../lib/formatTime';
import { useInspectionFeed } from '../../state/InspectionFeedContext';

/** Watches the station's hot folder for the selected product; results arrive as events. */
export function HotFolderSource({ product }: { product: string | null }) {
  const status = useApiQuery((client) => client['hotFolder.status']({}), []);
  const start = useApiCall((client, name: string) => client['hotFolder.start']({ product: name }));
  const stop = useApiCall((client) => client['hotFolder.stop']({}));
  const { rejectedFiles } = useInspectionFeed();
  const setStatus = status.setData;
  useStationEvent('hotFolder.status', (next) => setStatus(next));

  const current = status.data;
  const onStart = async () => {
    if (!product) return;
    const next = await start.run(product);
    if (next) setStatus(next);
  };
  const onStop = async () => {
    const next = await stop.run();
    if (next) setStatus(next);
  };

  return (
    <div className="source source--folder">
      <p className="hot-folder-status" data-testid="hot-folder-status" data-watching={current ? String(current.watching) : undefined}>
        {current ? describeStatus(current) : 'Reading the hot folder status…'}
      </p>
      {current?.problem && (
        <div className="error-banner" role="alert" data-testid="hot-folder-problem">
          {current.problem}
        </div>
      )}
      {current?.rejectFolder && <p className="muted wrap">Unreadable files are moved to {current.rejectFolder}</p>}
      <div className="button-row">
        <button
          type="button"
          className="button button--primary"
          data-testid="hot-folder-start"
          disabled={!product || start.pending || (current?.watching === true && current.product === product)}
          onClick={() => void onStart()}
        >
          {current?.watching && current.product !== product ? `Watch for ${product ?? '…'} instead` : 'Start watching'}
        </button>
        <button
          type="button"
          className="button"
          data-testid="hot-folder-stop"
          disabled={!current?.watching || stop.pending}
          onClick={() => void onStop()}
        >
          Stop
        </button>
      </div>
      {!product && <p className="notice">Pick a product first.</p>}
      <h3>Rejected files</h3>
      {rejectedFiles.length === 0 && <p className="muted">No rejected files.</p>}
      <ul className="rejected-list" data-testid="rejected-list">
        {rejectedFiles.map((file, index) => (
          <li key={`${file.at}-${index}`} data-testid="rejected-row">
            <strong className="wrap">{file.fileName}</strong> at {formatClock(file.at)}: {reasonWithoutFileName(file.fileName, file.reason)}
            {file.movedTo && <span className="muted wrap"> (moved to {file.movedTo})</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function describeStatus(status: HotFolderStatus): string {
  if (!status.folder) return 'No hot folder is set. A supervisor sets it in Settings.';
  const counts = `${status.inspected} inspected, ${status.rejected} rejected`;
  return status.watching
    ? `Watching ${status.folder} for ${status.product ?? '?'}${status.operator ? `, results recorded for ${status.operator}` : ', no operator selected'}: ${counts}`
    : `Not watching ${status.folder} (${counts})`;
}
