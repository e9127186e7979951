import { useEffect, useState } from 'react';
import type { Settings } from '../../../shared/api/apiRecords';
import { useApiCall } from '../../hooks/useApiCall';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useStationInfo } from '../../state/StationInfoContext';

const STATUS_POLL_MS = 3_000;

interface Props {
  settings: Settings | undefined;
  onSaved: (settings: Settings) => void;
}

/**
 * Results to the line's MQTT broker: where (off while no address is set), which topic, and how
 * it stands (connected, waiting, sent, never sent).
 */
export function MqttPanel({ settings, onSaved }: Props) {
  const { supervisor } = useStationInfo();
  const [url, setUrl] = useState('');
  const [topic, setTopic] = useState('');
  useEffect(() => {
    if (!settings) return;
    setUrl(settings.mqttUrl ?? '');
    setTopic(settings.mqttTopic);
  }, [settings]);
  const status = useApiQuery((client) => client['line.mqttStatus']({}), []);
  const reloadStatus = status.reload;
  useEffect(() => {
    const timer = setInterval(() => void reloadStatus(), STATUS_POLL_MS);
    return () => clearInterval(timer);
  }, [reloadStatus]);
  const save = useApiCall((client, changes: Partial<Settings>) => client['settings.set'](changes));
  const onSave = async () => {
    const saved = await save.run({ mqttUrl: url.trim() === '' ? null : url.trim(), mqttTopic: topic.trim() });
    if (saved) {
      onSaved(saved);
      void reloadStatus();
    }
  };
  const s = status.data;
  return (
    <div className="mqtt-panel">
      <div className="inline-form">
        <label className="field field--grow">
          <span className="field__label">Broker (empty: off)</span>
          <input
            data-testid="mqtt-url"
            value={url}
            placeholder="mqtt://broker.local:1883"
            disabled={!supervisor}
            onChange={(event) => setUrl(event.target.value)}
          />
        </label>
        <label className="field field--grow">
          <span className="field__label">Topic</span>
          <input data-testid="mqtt-topic" value={topic} disabled={!supervisor} onChange={(event) => setTopic(event.target.value)} />
        </label>
        <button
          type="button"
          className="button"
          data-testid="mqtt-save"
          disabled={!supervisor || save.pending}
          onClick={() => void onSave()}
        >
          Save
        </button>
      </div>
      <p className="big" data-testid="mqtt-status" data-connected={s?.connected ?? false}>
        {!s
          ? '…'
          : !s.enabled
            ? 'Off: results are not published.'
            : `${s.connected ? 'Connected' : 'Not connected'} · ${s.sent} sent since start · ${s.backlog} waiting${
                s.undelivered > 0 ? ` · ${s.undelivered} never sent (the backlog was full; they are in the catalogue)` : ''
              }${s.lastError ? ` · last error: ${s.lastError}` : ''}`}
      </p>
    </div>
  );
}
