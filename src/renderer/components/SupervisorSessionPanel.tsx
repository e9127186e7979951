import { useState, type FormEvent } from 'react';
import { useApiCall } from '../hooks/useApiCall';
import { formatClock } from '../lib/formatTime';
import { useStationInfo } from '../state/StationInfoContext';
import { Panel } from './Panel';
import { PinInput } from './PinInput';

/** Unlocks supervisor actions with a name and PIN, and locks them again. */
export function SupervisorSessionPanel() {
  const { supervisor, session } = useStationInfo();
  if (supervisor) {
    return (
      <Panel title="Supervisor" className="session-panel">
        <p>
          Unlocked for <strong data-testid="session-supervisor">{supervisor}</strong>
          {session.supervisor && <> until {formatClock(session.supervisor.expiresAt)}</>}
        </p>
        <LockButton />
      </Panel>
    );
  }
  return (
    <Panel title="Supervisor unlock" className="session-panel">
      <UnlockForm />
    </Panel>
  );
}

// The calls live inside the panel, so that a refusal (a wrong PIN) is said in it.

function LockButton() {
  const { applySession } = useStationInfo();
  const lock = useApiCall((client) => client['session.lock']({}));
  const onLock = async () => {
    const next = await lock.run();
    if (next) applySession(next);
  };
  return (
    <button type="button" className="button" data-testid="lock-button" disabled={lock.pending} onClick={() => void onLock()}>
      Lock
    </button>
  );
}

function UnlockForm() {
  const { applySession } = useStationInfo();
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const unlock = useApiCall((client, input: { name: string; pin: string }) => client['session.unlock'](input));

  const onUnlock = async (event: FormEvent) => {
    event.preventDefault();
    const next = await unlock.run({ name: name.trim(), pin });
    // The PIN never stays in the form, whether it worked or not.
    setPin('');
    if (next) applySession(next);
  };

  return (
    <form className="inline-form" onSubmit={(event) => void onUnlock(event)}>
      <label className="field">
        <span className="field__label">Name</span>
        <input data-testid="unlock-name" value={name} autoComplete="username" onChange={(event) => setName(event.target.value)} />
      </label>
      <label className="field">
        <span className="field__label">PIN</span>
        <PinInput data-testid="unlock-pin" isNew={false} value={pin} onChange={(event) => setPin(event.target.value)} />
      </label>
      <button
        type="submit"
        className="button button--primary"
        data-testid="unlock-button"
        disabled={unlock.pending || !name.trim() || !pin}
      >
        Unlock
      </button>
    </form>
  );
}
