import { useEffect, useState, type FormEvent } from 'react';
import type { Settings } from '../../../shared/api/apiRecords';
import { CameraSelect } from '../../components/CameraSelect';
import { NumberField } from '../../components/NumberField';
import { useApiCall } from '../../hooks/useApiCall';
import { useVideoDevices } from '../../hooks/useVideoDevices';
import { useStationInfo } from '../../state/StationInfoContext';

interface Draft {
  stationName: string;
  hotFolder: string;
  cameraDeviceId: string;
  captureIntervalSeconds: string;
  targetFalseRejectRate: string;
}

function toDraft(settings: Settings): Draft {
  return {
    stationName: settings.stationName,
    hotFolder: settings.hotFolder ?? '',
    cameraDeviceId: settings.cameraDeviceId ?? '',
    captureIntervalSeconds: String(settings.captureIntervalSeconds),
    targetFalseRejectRate: String(settings.targetFalseRejectRate),
  };
}

/** The station's settings; anyone can read them, a supervisor saves them. */
export function StationSettingsForm({ settings, onSaved }: { settings: Settings | undefined; onSaved: (settings: Settings) => void }) {
  const { supervisor } = useStationInfo();
  const { devices } = useVideoDevices();
  const [draft, setDraft] = useState<Draft | null>(null);
  const save = useApiCall((client, changes: Partial<Settings>) => client['settings.set'](changes));

  useEffect(() => {
    if (settings) setDraft(toDraft(settings));
  }, [settings]);
  if (!draft || !settings) return <p className="muted">Loading settings…</p>;

  const edit = (field: keyof Draft) => (value: string) => setDraft({ ...draft, [field]: value });
  const interval = Number(draft.captureIntervalSeconds);
  const frr = Number(draft.targetFalseRejectRate);
  const valid =
    draft.stationName.trim() !== '' &&
    draft.captureIntervalSeconds.trim() !== '' &&
    Number.isFinite(interval) &&
    interval >= 0 &&
    interval <= 3600 &&
    draft.targetFalseRejectRate.trim() !== '' &&
    Number.isFinite(frr) &&
    frr >= 0 &&
    frr <= 0.5;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    const saved = await save.run({
      stationName: draft.stationName.trim(),
      hotFolder: draft.hotFolder.trim() || null,
      cameraDeviceId: draft.cameraDeviceId || null,
      captureIntervalSeconds: interval,
      targetFalseRejectRate: frr,
    });
    if (saved) onSaved(saved);
  };

  const locked = !supervisor;
  return (
    <form className="settings-form" onSubmit={(event) => void onSubmit(event)}>
      <label className="field">
        <span className="field__label">Station name</span>
        <input data-testid="settings-station-name" value={draft.stationName} disabled={locked} onChange={(e) => edit('stationName')(e.target.value)} />
      </label>
      <label className="field">
        <span className="field__label">Hot folder (a folder on this computer)</span>
        <input data-testid="settings-hot-folder" value={draft.hotFolder} disabled={locked} onChange={(e) => edit('hotFolder')(e.target.value)} />
      </label>
      <CameraSelect testId="settings-camera" value={draft.cameraDeviceId} devices={devices} disabled={locked} onChange={edit('cameraDeviceId')} />
      <NumberField
        label="Capture interval (seconds, 0 = only on demand)"
        testId="settings-interval"
        min={0}
        max={3600}
        step={1}
        value={draft.captureIntervalSeconds}
        disabled={locked}
        onChange={edit('captureIntervalSeconds')}
      />
      <NumberField
        label="Target false-reject rate (0 to 0.5; 0.02 = 2%)"
        testId="settings-frr"
        min={0}
        max={0.5}
        step={0.005}
        value={draft.targetFalseRejectRate}
        disabled={locked}
        onChange={edit('targetFalseRejectRate')}
      />
      {!valid && <p className="notice">Check the values: a name, an interval of 0 to 3600 s and a rate of 0 to 0.5.</p>}
      <button type="submit" className="button button--primary" data-testid="settings-save" disabled={locked || !valid || save.pending}>
        Save settings
      </button>
    </form>
  );
}
