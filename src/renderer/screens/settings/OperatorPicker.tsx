import { useState } from 'react';
import type { UserSummary } from './userSummary';
import { PinInput } from '../../components/PinInput';
import { useApiCall } from '../../hooks/useApiCall';
import { useStationInfo } from '../../state/StationInfoContext';

/**
 * Who is running the station: recorded with every inspection. An operator without a PIN is picked
 * from the list; one with a PIN (and any supervisor) only with it, so results cannot be put on anyone.
 */
export function OperatorPicker({ users }: { users: readonly UserSummary[] }) {
  const { session, applySession } = useStationInfo();
  const setOperator = useApiCall((client, name: string | null, pin: string | null) => client['session.setOperator']({ name, pin }));
  const people = users.filter((user) => !user.disabled);
  const current = session.operator ?? '';
  const [chosen, setChosen] = useState<UserSummary | null>(null);
  const [pin, setPin] = useState('');

  const apply = async (name: string | null, withPin: string | null) => {
    const next = await setOperator.run(name, withPin);
    if (next) applySession(next);
    setChosen(null);
    setPin('');
  };

  const onChange = (name: string) => {
    const user = people.find((u) => u.name === name) ?? null;
    if (user?.hasPin) setChosen(user);
    else void apply(name || null, null);
  };

  return (
    <div className="operator-picker">
      <label className="field">
        <span className="field__label">Operator at this station</span>
        <select
          data-testid="operator-select"
          value={chosen?.name ?? current}
          disabled={setOperator.pending}
          onChange={(event) => onChange(event.target.value)}
        >
          <option value="">No operator</option>
          {people.map((user) => (
            <option key={user.id} value={user.name}>
              {user.name}
              {user.hasPin ? ' (PIN)' : ''}
            </option>
          ))}
          {current && !people.some((u) => u.name === current) && <option value={current}>{current}</option>}
        </select>
      </label>
      {chosen && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void apply(chosen.name, pin);
          }}
        >
          <label className="field">
            <span className="field__label">{chosen.name}'s PIN</span>
            <PinInput isNew={false} data-testid="operator-pin" value={pin} onChange={(event) => setPin(event.target.value)} />
          </label>
          <button type="submit" className="button" data-testid="operator-pin-confirm" disabled={pin.length === 0 || setOperator.pending}>
            Work as {chosen.name}
          </button>
          <button type="button" className="button button--quiet" onClick={() => setChosen(null)}>
            Cancel
          </button>
        </form>
      )}
    </div>
  );
}
