import { useEffect, useState } from 'react';
import type { LineFrameSource, OpcuaSecurity, OpcuaStatus, Settings } from '../../../shared/api/apiRecords';
import { NumberField } from '../../components/NumberField';
import { useApiCall } from '../../hooks/useApiCall';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useStationEvent } from '../../hooks/useStationEvent';
import { useStationInfo } from '../../state/StationInfoContext';

interface Props {
  settings: Settings | undefined;
  onSaved: (settings: Settings) => void;
}

const SECURITY_LABELS: Record<OpcuaSecurity, string> = {
  none: 'None (password still encrypted)',
  sign: 'Sign (Basic256Sha256)',
  'sign-and-encrypt': 'Sign and encrypt (Basic256Sha256)',
};
const FRAME_SOURCE_LABELS: Record<LineFrameSource, string> = {
  'inspect-screen': 'The camera of an open Inspect screen',
  'hot-folder': 'The next image in the hot folder',
};

type Draft = Pick<
  Settings,
  'opcuaEnabled' | 'opcuaPort' | 'opcuaSecurity' | 'opcuaAnonymous' | 'opcuaUser' | 'lineFrameSource' | 'lineFrameTimeoutSeconds'
>;
const draftOf = (s: Settings): Draft => ({
  opcuaEnabled: s.opcuaEnabled,
  opcuaPort: s.opcuaPort,
  opcuaSecurity: s.opcuaSecurity,
  opcuaAnonymous: s.opcuaAnonymous,
  opcuaUser: s.opcuaUser,
  lineFrameSource: s.lineFrameSource,
  lineFrameTimeoutSeconds: s.lineFrameTimeoutSeconds,
});

interface FieldProps {
  label: string;
  testId: string;
  disabled: boolean;
}

function CheckField({ label, testId, checked, disabled, onChange }: FieldProps & { checked: boolean; onChange: (on: boolean) => void }) {
  return (
    <label className="field field--check">
      <input
        type="checkbox"
        data-testid={testId}
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span className="field__label">{label}</span>
    </label>
  );
}

/** A choice among fixed values, each with its words. */
function ChoiceField<V extends string>({
  label,
  testId,
  choices,
  value,
  disabled,
  onChange,
  grow = false,
}: FieldProps & { choices: Record<V, string>; value: V; onChange: (value: V) => void; grow?: boolean }) {
  return (
    <label className={`field${grow ? ' field--grow' : ''}`}>
      <span className="field__label">{label}</span>
      <select data-testid={testId} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value as V)}>
        {(Object.entries(choices) as [V, string][]).map(([v, words]) => (
          <option key={v} value={v}>
            {words}
          </option>
        ))}
      </select>
    </label>
  );
}

/** What the PLC sees now, in a line of words. */
function handshakeLine(status: OpcuaStatus): string {
  const h = status.handshake;
  const state = h.busy
    ? 'Busy'
    : h.resultReady
      ? `Result ready (${h.error ? `error ${h.errorCode}` : h.pass ? 'pass' : 'fail'})`
      : h.ready
        ? 'Ready'
        : 'Not ready';
  const timing =
    status.p50TriggerToResultMs === null
      ? 'no triggers yet'
      : `${status.triggers} trigger${status.triggers === 1 ? '' : 's'} · trigger to result p50 ${Math.round(status.p50TriggerToResultMs)} ms, p99 ${Math.round(status.p99TriggerToResultMs ?? 0)} ms`;
  return `${state}${h.product ? ` · product ${h.product}` : ' · no product selected'} · ${timing}${h.readyProblem ? ` · ${h.readyProblem}` : ''}${h.lastError ? ` · last error: ${h.lastError}` : ''}`;
}

/**
 * The PLC's OPC UA server (docs/line-integration.md): off by default; a supervisor sets the port,
 * the security, who may log in and where a trigger's image comes from. The status says whether it
 * listens and what the handshake is doing, with the trigger-to-result times.
 */
export function OpcuaPanel({ settings, onSaved }: Props) {
  const { supervisor } = useStationInfo();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [password, setPassword] = useState('');
  useEffect(() => {
    if (settings) setDraft(draftOf(settings));
  }, [settings]);
  const status = useApiQuery((client) => client['line.opcuaStatus']({}), []);
  useStationEvent('line.status', (next) => status.setData(next));
  const save = useApiCall((client, changes: Partial<Settings>) => client['settings.set'](changes));
  const savePassword = useApiCall((client, next: string) => client['line.setOpcuaPassword']({ password: next }));
  const change = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => (d ? { ...d, [key]: value } : d));
  const onSave = async () => {
    if (!draft) return;
    const saved = await save.run({ ...draft, opcuaUser: draft.opcuaUser?.trim() ? draft.opcuaUser.trim() : null });
    if (saved) {
      onSaved(saved);
      void status.reload();
    }
  };
  const onPassword = async () => {
    if (await savePassword.run(password)) {
      setPassword('');
      void status.reload();
    }
  };
  const s = status.data;
  const locked = !supervisor || !draft;
  return (
    <div className="opcua-panel">
      <div className="inline-form">
        <CheckField
          label="Server on"
          testId="opcua-enabled"
          checked={draft?.opcuaEnabled ?? false}
          disabled={locked}
          onChange={(on) => change('opcuaEnabled', on)}
        />
        <NumberField
          label="Port"
          testId="opcua-port"
          min={1024}
          max={65535}
          step={1}
          value={draft?.opcuaPort ?? 4840}
          disabled={locked}
          onChange={(text) => change('opcuaPort', Number(text))}
        />
        <ChoiceField
          label="Security"
          testId="opcua-security"
          choices={SECURITY_LABELS}
          value={draft?.opcuaSecurity ?? 'sign-and-encrypt'}
          disabled={locked}
          onChange={(value) => change('opcuaSecurity', value)}
        />
        <label className="field">
          <span className="field__label">PLC user name</span>
          <input
            data-testid="opcua-user"
            value={draft?.opcuaUser ?? ''}
            placeholder="plc"
            disabled={locked}
            onChange={(event) => change('opcuaUser', event.target.value)}
          />
        </label>
        <CheckField
          label="Allow clients without a user name"
          testId="opcua-anonymous"
          checked={draft?.opcuaAnonymous ?? false}
          disabled={locked}
          onChange={(on) => change('opcuaAnonymous', on)}
        />
      </div>
      <div className="inline-form">
        <ChoiceField
          label="A trigger's image comes from"
          testId="line-frame-source"
          choices={FRAME_SOURCE_LABELS}
          value={draft?.lineFrameSource ?? 'inspect-screen'}
          disabled={locked}
          onChange={(value) => change('lineFrameSource', value)}
          grow
        />
        <NumberField
          label="Wait for it (s)"
          testId="line-frame-timeout"
          min={0.2}
          max={60}
          step={0.1}
          value={draft?.lineFrameTimeoutSeconds ?? 3}
          disabled={locked}
          onChange={(text) => change('lineFrameTimeoutSeconds', Number(text))}
        />
        <button type="button" className="button" data-testid="opcua-save" disabled={locked || save.pending} onClick={() => void onSave()}>
          Save
        </button>
      </div>
      <div className="inline-form">
        <label className="field field--grow">
          <span className="field__label">PLC password {s?.passwordSet ? '(set; a new one replaces it)' : '(not set)'}</span>
          <input
            type="password"
            autoComplete="new-password"
            data-testid="opcua-password"
            value={password}
            disabled={!supervisor}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        <button
          type="button"
          className="button"
          data-testid="opcua-password-save"
          disabled={!supervisor || password.length === 0 || savePassword.pending}
          onClick={() => void onPassword()}
        >
          Set password
        </button>
      </div>
      <p className="big" data-testid="opcua-status" data-listening={Boolean(s?.endpoint)}>
        {!s
          ? '…'
          : !s.enabled
            ? 'Off: no PLC can connect.'
            : s.problem
              ? `Not listening: ${s.problem}`
              : `Listening at ${s.endpoint} · ${s.sessions} client${s.sessions === 1 ? '' : 's'}`}
      </p>
      {s?.enabled && !s.problem && (
        <p className="muted" data-testid="opcua-handshake">
          {handshakeLine(s)}
        </p>
      )}
    </div>
  );
}
