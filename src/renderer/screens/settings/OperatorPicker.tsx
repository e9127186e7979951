import type { UserSummary } from './userSummary';
import { useApiCall } from '../../hooks/useApiCall';
import { useStationInfo } from '../../state/StationInfoContext';

/** Who is running the station: recorded with every inspection. No PIN needed. */
export function OperatorPicker({ users }: { users: readonly UserSummary[] }) {
  const { session, applySession } = useStationInfo();
  const setOperator = useApiCall((client, name: string | null) => client['session.setOperator']({ name }));
  const operators = users.filter((user) => user.role === 'operator' && !user.disabled);
  const current = session.operator ?? '';

  const onChange = async (name: string) => {
    const next = await setOperator.run(name || null);
    if (next) applySession(next);
  };

  return (
    <label className="field">
      <span className="field__label">Operator at this station</span>
      <select
        data-testid="operator-select"
        value={current}
        disabled={setOperator.pending}
        onChange={(event) => void onChange(event.target.value)}
      >
        <option value="">No operator</option>
        {operators.map((user) => (
          <option key={user.id} value={user.name}>
            {user.name}
          </option>
        ))}
        {current && !operators.some((u) => u.name === current) && <option value={current}>{current}</option>}
      </select>
    </label>
  );
}
