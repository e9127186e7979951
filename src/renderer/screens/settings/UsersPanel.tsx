import { useState, type FormEvent } from 'react';
import { ErrorScope } from '../../components/ErrorScope';
import { PinInput } from '../../components/PinInput';
import { useApiCall } from '../../hooks/useApiCall';
import { formatDateTime } from '../../lib/formatTime';
import { useStationInfo } from '../../state/StationInfoContext';
import type { UserRole, UserSummary } from './userSummary';

/** The station's people: who exists, who has a PIN; a supervisor adds people and sets PINs. */
export function UsersPanel({ users, onChanged }: { users: readonly UserSummary[]; onChanged: () => void }) {
  return (
    <>
      <table className="table" data-testid="users-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>PIN</th>
            <th>Since</th>
            <th>Set PIN</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} data-testid="user-row" data-user={user.name} data-role={user.role}>
              <td>
                {user.name}
                {user.disabled && <span className="tag">disabled</span>}
              </td>
              <td>{user.role}</td>
              <td>{user.hasPin ? 'set' : 'none'}</td>
              <td>{formatDateTime(user.createdAt)}</td>
              <td>
                <SetPinForm name={user.name} onDone={onChanged} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {/* Below the table: a refusal (a name taken) is said beside the form, not above the list. */}
      <ErrorScope>
        <CreateUserForm onCreated={onChanged} />
      </ErrorScope>
    </>
  );
}

function SetPinForm({ name, onDone }: { name: string; onDone: () => void }) {
  const { supervisor } = useStationInfo();
  const [pin, setPin] = useState('');
  const [done, setDone] = useState(false);
  const setPinCall = useApiCall((client, input: { name: string; pin: string }) => client['users.setPin'](input));
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await setPinCall.run({ name, pin });
    setPin('');
    setDone(result !== undefined);
    if (result) onDone();
  };
  return (
    <form className="inline-form inline-form--tight" onSubmit={(event) => void onSubmit(event)}>
      <PinInput
        aria-label={`New PIN for ${name}`}
        data-testid="set-pin-input"
        data-user={name}
        isNew
        value={pin}
        disabled={!supervisor}
        onChange={(event) => {
          setPin(event.target.value);
          setDone(false);
        }}
      />
      <button
        type="submit"
        className="button"
        data-testid="set-pin-button"
        data-user={name}
        disabled={!supervisor || !pin || setPinCall.pending}
      >
        Set
      </button>
      {done && <span className="text-pass">PIN set</span>}
    </form>
  );
}

function CreateUserForm({ onCreated }: { onCreated: () => void }) {
  const { supervisor } = useStationInfo();
  const [name, setName] = useState('');
  const [role, setRole] = useState<UserRole>('operator');
  const [pin, setPin] = useState('');
  const create = useApiCall((client, input: { name: string; role: UserRole; pin: string | null }) => client['users.create'](input));
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await create.run({ name: name.trim(), role, pin: pin || null });
    setPin('');
    if (created) {
      setName('');
      onCreated();
    }
  };
  return (
    <form className="inline-form" onSubmit={(event) => void onSubmit(event)}>
      <label className="field">
        <span className="field__label">Name</span>
        <input data-testid="new-user-name" value={name} disabled={!supervisor} onChange={(event) => setName(event.target.value)} />
      </label>
      <label className="field">
        <span className="field__label">Role</span>
        <select
          data-testid="new-user-role"
          value={role}
          disabled={!supervisor}
          onChange={(event) => setRole(event.target.value === 'supervisor' ? 'supervisor' : 'operator')}
        >
          <option value="operator">operator</option>
          <option value="supervisor">supervisor</option>
        </select>
      </label>
      <label className="field">
        <span className="field__label">PIN (4–12 digits) or passphrase (8+ characters){role === 'operator' ? ', optional' : ''}</span>
        <PinInput data-testid="new-user-pin" isNew value={pin} disabled={!supervisor} onChange={(event) => setPin(event.target.value)} />
      </label>
      <button
        type="submit"
        className="button button--primary"
        data-testid="create-user"
        disabled={!supervisor || !name.trim() || create.pending}
      >
        Add person
      </button>
    </form>
  );
}
