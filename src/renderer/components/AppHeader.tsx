import { formatClock } from '../lib/formatTime';
import { useStationInfo } from '../state/StationInfoContext';

/** Who and what is running: station, active model, tfjs backend, onnxruntime provider and the session. */
export function AppHeader() {
  const { info, session, supervisor } = useStationInfo();
  return (
    <header className="app-header">
      <div className="app-header__station">{info?.stationName ?? 'QA Station'}</div>
      <dl className="app-header__facts">
        <div>
          <dt>Model</dt>
          <dd data-testid="header-model">{info ? (info.activeModel ?? 'none yet') : '…'}</dd>
        </div>
        <div className="app-header__fact--wide">
          <dt>Backend</dt>
          <dd data-testid="header-backend">
            {info
              ? `trains on onnxruntime ${info.runtime.onnx.provider}, ${info.runtime.cores} thread${info.runtime.cores === 1 ? '' : 's'} (${info.runtime.tfjsBackend}); inspects on ${info.runtime.onnx.provider}`
              : '…'}
          </dd>
        </div>
        <div>
          <dt>Operator</dt>
          <dd data-testid="header-operator">{session.operator ?? 'not set'}</dd>
        </div>
        <div>
          <dt>Supervisor</dt>
          <dd data-testid="header-supervisor">
            {supervisor && session.supervisor ? `${supervisor} (until ${formatClock(session.supervisor.expiresAt)})` : 'locked'}
          </dd>
        </div>
      </dl>
    </header>
  );
}
