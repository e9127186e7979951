import { useApiQuery } from '../../hooks/useApiQuery';
import { formatAuditDetails } from '../../lib/auditDetails';
import { formatDateTime } from '../../lib/formatTime';
import { useStationInfo } from '../../state/StationInfoContext';

const AUDIT_LIMIT = 200;

/** Who did what (supervisor only): the newest entries first. */
export function AuditLog() {
  const { supervisor } = useStationInfo();
  // Only asked while unlocked: an operator's request would just be refused.
  const audit = useApiQuery((client) => client['audit.list']({ limit: AUDIT_LIMIT }), [supervisor], supervisor !== null);
  if (!supervisor) return <p className="notice">A supervisor PIN is needed to read the audit log.</p>;
  const entries = audit.data ?? [];
  return (
    <table className="table table--compact" data-testid="audit-table">
      <thead>
        <tr>
          <th>Time</th>
          <th>Who</th>
          <th>Action</th>
          <th>Target</th>
          <th>Details</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.id} data-testid="audit-row">
            <td>{formatDateTime(entry.at)}</td>
            <td>{entry.actor}</td>
            <td>{entry.action}</td>
            <td>{entry.target ?? ''}</td>
            <td className="wrap" data-testid="audit-details">
              {formatAuditDetails(entry.details)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
