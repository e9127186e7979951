import { useEffect, useRef, useState } from 'react';
import type { Settings } from '../../../shared/api/apiRecords';
import { CameraSelect } from '../../components/CameraSelect';
import { NumberField } from '../../components/NumberField';
import { useApiCall } from '../../hooks/useApiCall';
import { useCameraStream } from '../../hooks/useCameraStream';
import { useInspectImage } from '../../state/useInspectImage';
import { useInterval } from '../../hooks/useInterval';
import { useLineTriggerAnswers } from '../../hooks/useLineTriggerAnswers';
import { useSpaceKey } from '../../hooks/useSpaceKey';
import { useStoredChoice } from '../../hooks/useStoredChoice';
import { useVideoDevices } from '../../hooks/useVideoDevices';
import { blobToBase64 } from '../../lib/blobToBase64';
import { captureVideoFrame } from '../../lib/captureVideoFrame';
import { errorMessage } from '../../lib/errorMessage';
import { useStationInfo } from '../../state/StationInfoContext';

interface Props {
  product: string | null;
  settings: Settings | undefined;
  /** The station's settings as saved here, so that the next change compares with them (not with what was loaded). */
  onSettingsSaved: (settings: Settings) => void;
}

/** This window answers the line's triggers with its camera: kept across reloads of the Inspect screen. */
const ANSWER_TRIGGERS_KEY = 'qa-station.answerLineTriggers';
const ON_OFF = ['on', 'off'] as const;

/** Live camera: capture on the big button, on Space, every N seconds, or on the line's trigger (PLC). */
export function CameraSource({ product, settings, onSettingsSaved }: Props) {
  const { devices, refresh: refreshDevices } = useVideoDevices();
  const { supervisor } = useStationInfo();
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const [intervalText, setIntervalText] = useState('0');
  const [captureError, setCaptureError] = useState<string | null>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const inspect = useInspectImage();
  const saveInterval = useApiCall((client, seconds: number) => client['settings.set']({ captureIntervalSeconds: seconds }));

  // The station's saved camera and interval are the starting point; the operator may change them here.
  useEffect(() => {
    if (!settings) return;
    setDeviceId(settings.cameraDeviceId);
    setIntervalText(String(settings.captureIntervalSeconds));
  }, [settings]);

  const camera = useCameraStream(deviceId, true);
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    video.srcObject = camera.stream;
    // Device names are hidden until the camera has been allowed once.
    if (camera.stream) refreshDevices();
  }, [camera.stream, refreshDevices]);

  const intervalSeconds = Number(intervalText);
  const validInterval = Number.isFinite(intervalSeconds) && intervalSeconds >= 0 && intervalSeconds <= 3600;
  const canCapture = camera.stream !== null && product !== null;

  const capture = async () => {
    const video = videoRef.current;
    if (!video || !product || inspect.pending) return;
    try {
      setCaptureError(null);
      const data = await blobToBase64(await captureVideoFrame(video));
      await inspect.run({ product, source: 'camera', fileName: `camera-${new Date().toISOString()}.png`, data });
    } catch (error) {
      setCaptureError(errorMessage(error));
    }
  };

  const [answerTriggers, setAnswerTriggers] = useStoredChoice(ANSWER_TRIGGERS_KEY, ON_OFF, 'off');
  const line = useLineTriggerAnswers(answerTriggers === 'on' && camera.stream !== null, async () => {
    const video = videoRef.current;
    if (!video || !camera.stream) throw new Error('the camera is not running');
    return blobToBase64(await captureVideoFrame(video));
  });

  useSpaceKey(() => void capture(), canCapture);
  useInterval(() => void capture(), canCapture && validInterval ? intervalSeconds : null);

  const persistInterval = async () => {
    if (!supervisor || !validInterval || !settings || intervalSeconds === settings.captureIntervalSeconds) return;
    const saved = await saveInterval.run(intervalSeconds);
    if (saved) onSettingsSaved(saved);
  };
  const unsaved = !supervisor && validInterval && settings !== undefined && intervalSeconds !== settings.captureIntervalSeconds;

  return (
    <div className="source source--camera">
      <div className="source__controls">
        <CameraSelect testId="camera-select" value={deviceId ?? ''} devices={devices} onChange={(id) => setDeviceId(id || null)} />
        <NumberField
          label="Auto capture every (s, 0 = off)"
          testId="capture-interval"
          min={0}
          max={3600}
          step={1}
          value={intervalText}
          onChange={setIntervalText}
          onBlur={() => void persistInterval()}
          narrow
        />
        <label className="field field--check">
          <input
            type="checkbox"
            data-testid="answer-line-triggers"
            checked={answerTriggers === 'on'}
            onChange={(event) => setAnswerTriggers(event.target.checked ? 'on' : 'off')}
          />
          <span className="field__label">Answer line triggers (PLC)</span>
        </label>
      </div>
      {answerTriggers === 'on' && (
        <p className={`notice${line.error ? ' notice--error' : ''}`} data-testid="line-trigger-state">
          {line.error
            ? `Line triggers: ${line.error}`
            : line.offered
              ? `The line's triggers take their pictures here (${line.answered} so far).`
              : 'Line triggers wait for the camera to start.'}
        </p>
      )}
      {!validInterval && <p className="notice">The interval is 0 to 3600 seconds.</p>}
      {unsaved && (
        <p className="notice" data-testid="capture-interval-unsaved">
          Only until you leave this screen: a supervisor saves the station's interval ({settings?.captureIntervalSeconds} s).
        </p>
      )}
      <div className="camera">
        <video ref={videoRef} className="camera__video" autoPlay muted playsInline />
        {!camera.stream && <p className="camera__message">{camera.error ?? 'Starting the camera…'}</p>}
      </div>
      {captureError && <p className="notice notice--error">{captureError}</p>}
      <button
        type="button"
        className="button button--primary button--huge"
        data-testid="capture-button"
        disabled={!canCapture || inspect.pending}
        onClick={() => void capture()}
      >
        {inspect.pending ? 'Inspecting…' : 'Capture (Space)'}
      </button>
      {!product && <p className="notice">Pick a product first.</p>}
    </div>
  );
}
