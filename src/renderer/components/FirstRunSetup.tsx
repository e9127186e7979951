import { useState, type FormEvent } from 'react';
import { useApiCall } from '../hooks/useApiCall';
import { useStationInfo } from '../state/StationInfoContext';
import { ErrorScope } from './ErrorScope';
import { PinInput } from './PinInput';

/**
 * A new station has no supervisor, so nobody could unlock anything: offer to create the first
 * one (the server refuses this once a supervisor exists).
 */
export function FirstRunSetup() {
  const { info } = useStationInfo();
  if (!info?.needsSetup) return null;
  return (
    <section className="panel first-run" data-testid="first-run-setup">
      <h2 className="panel__title">Set up this station</h2>
      <p>No supervisor exists yet. Create the first supervisor; they can then add operators and other supervisors in Settings.</p>
      {/* A refused PIN is said here, beside the button, not at the top of the page. */}
      <ErrorScope>
        <FirstSupervisorForm />
      </ErrorScope>
    </section>
  );
}

function FirstSupervisorForm() {
  const { applySession, refresh } = useStationInfo();
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const setup = useApiCall((client, input: { name: string; pin: string }) => client['setup.firstSupervisor'](input));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const session = await setup.run({ name: name.trim(), pin });
    setPin('');
    if (session) {
      applySession(session);
      await refresh();
    }
  };

  return (
    <form className="inline-form" onSubmit={(event) => void onSubmit(event)}>
      <label className="field">
        <span className="field__label">Supervisor name</span>
        <input data-testid="setup-name" value={name} autoComplete="username" onChange={(event) => setName(event.target.value)} />
      </label>
      <label className="field">
        <span className="field__label">PIN (4–12 digits) or passphrase (8+ characters)</span>
        <PinInput data-testid="setup-pin" isNew value={pin} onChange={(event) => setPin(event.target.value)} />
      </label>
      <button type="submit" className="button button--primary" data-testid="setup-button" disabled={!name.trim() || !pin || setup.pending}>
        Create supervisor
      </button>
    </form>
  );
}
