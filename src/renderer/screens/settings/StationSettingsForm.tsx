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
  retentionDays: string;
  retentionMaxGb: string;
}

function toDraft(settings: Settings): Draft {
  return {
    stationName: settings.stationName,
    hotFolder: settings.hotFolder ?? '',
    cameraDeviceId: settings.cameraDeviceId ?? '',
    captureIntervalSeconds: String(settings.captureIntervalSeconds),
    targetFalseRejectRate: String(settings.targetFalseRejectRate),
    retentionDays: settings.retentionDays === null ? '' : String(settings.retentionDays),
    retentionMaxGb: settings.retentionMaxGb === null ? '' : String(settings.retentionMaxGb),
  };
}

/** An optional number field: empty means no limit (null); otherwise a number in [min, max]. */
function optionalNumber(text: string, min: number, max: number, integer = false): { ok: boolean; value: number | null } {
  if (text.trim() === '') return { ok: true, value: null };
  const value = Number(text);
  return { ok: Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value)), value };
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
  const retentionDays = optionalNumber(draft.retentionDays, 1, 36500, true);
  const retentionMaxGb = optionalNumber(draft.retentionMaxGb, 0.1, 100000);
  const valid =
    draft.stationName.trim() !== '' &&
    draft.captureIntervalSeconds.trim() !== '' &&
    Number.isFinite(interval) &&
    interval >= 0 &&
    interval <= 3600 &&
    draft.targetFalseRejectRate.trim() !== '' &&
    Number.isFinite(frr) &&
    frr >= 0 &&
    frr <= 0.5 &&
    retentionDays.ok &&
    retentionMaxGb.ok;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    const saved = await save.run({
      stationName: draft.stationName.trim(),
      hotFolder: draft.hotFolder.trim() || null,
      cameraDeviceId: draft.cameraDeviceId || null,
      captureIntervalSeconds: interval,
      targetFalseRejectRate: frr,
      retentionDays: retentionDays.value,
      retentionMaxGb: retentionMaxGb.value,
    });
    if (saved) onSaved(saved);
  };

  const locked = !supervisor;
  return (
    <form className="settings-form" onSubmit={(event) => void onSubmit(event)}>
      <label className="field">
        <span className="field__label">Station name</span>
        <input
          data-testid="settings-station-name"
          value={draft.stationName}
          disabled={locked}
          onChange={(e) => edit('stationName')(e.target.value)}
        />
        <span className="field__hint" data-testid="settings-station-name-hint">
          Starts as this computer's name; change it to what the line calls this station (the header, reports and the line show it).
        </span>
      </label>
      <label className="field">
        <span className="field__label">Hot folder (a folder on this computer)</span>
        <input
          data-testid="settings-hot-folder"
          value={draft.hotFolder}
          disabled={locked}
          onChange={(e) => edit('hotFolder')(e.target.value)}
        />
      </label>
      <CameraSelect
        testId="settings-camera"
        value={draft.cameraDeviceId}
        devices={devices}
        disabled={locked}
        onChange={edit('cameraDeviceId')}
      />
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
      <NumberField
        label="Keep inspection images for (days; empty = always)"
        testId="settings-retention-days"
        min={1}
        max={36500}
        step={1}
        value={draft.retentionDays}
        disabled={locked}
        onChange={edit('retentionDays')}
      />
      <NumberField
        label="Keep at most this much inspection images (GB; empty = no limit)"
        testId="settings-retention-gb"
        min={0.1}
        max={100000}
        step={0.1}
        value={draft.retentionMaxGb}
        disabled={locked}
        onChange={edit('retentionMaxGb')}
      />
      <p className="muted">Records are always kept; the oldest images go first.</p>
      {!valid && (
        <p className="notice">
          Check the values: a name, an interval of 0 to 3600 s, a rate of 0 to 0.5, and retention limits that are empty or positive.
        </p>
      )}
      <button type="submit" className="button button--primary" data-testid="settings-save" disabled={locked || !valid || save.pending}>
        Save settings
      </button>
    </form>
  );
}
