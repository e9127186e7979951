import { useApiQuery } from '../../hooks/useApiQuery';
import { formatDateTime } from '../../lib/formatTime';
import { useStationInfo } from '../../state/StationInfoContext';

const LOG_LINES = 200;

/** The station's own log (supervisor only): warnings and errors that survive a restart. */
export function StationLogPanel() {
  const { supervisor } = useStationInfo();
  const log = useApiQuery((client) => client['logs.tail']({ lines: LOG_LINES }), [supervisor], supervisor !== null);
  if (!supervisor) return <p className="notice">A supervisor PIN is needed to read the station log.</p>;
  const entries = [...(log.data ?? [])].reverse(); // newest first
  return (
    <>
      <div className="button-row">
        <button type="button" className="button" data-testid="station-log-refresh" onClick={() => void log.reload()}>
          Refresh
        </button>
      </div>
      <table className="table table--compact" data-testid="station-log">
        <thead>
          <tr>
            <th>Time</th>
            <th>Level</th>
            <th>Message</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry, i) => (
            <tr key={`${entry.at}-${i}`} data-testid="station-log-row" data-level={entry.level}>
              <td>{entry.at ? formatDateTime(entry.at) : ''}</td>
              <td>{entry.level}</td>
              <td className="wrap">{entry.message}</td>
              <td className="wrap">{entry.details ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
