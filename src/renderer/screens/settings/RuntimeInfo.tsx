import type { StationInfo } from '../../../shared/api/apiRecords';

/** What computes the results on this station, and where its data lives (read only). */
export function RuntimeInfo({ info }: { info: StationInfo | null }) {
  if (!info) return <p className="muted">Loading…</p>;
  return (
    <dl className="facts facts--stacked">
      <div data-testid="runtime-info">
        <dt>Runtime</dt>
        <dd>
          tfjs backend <strong>{info.runtime.tfjsBackend}</strong> · features <strong>{info.runtime.featureRuntime}</strong> ·{' '}
          {info.runtime.cores} cores
        </dd>
      </div>
      <div data-testid="execution-provider">
        <dt>Inference provider</dt>
        <dd>
          onnxruntime on <strong>{info.runtime.onnx.provider}</strong>
          {/* Why a GPU provider is not in use: not installed, or it failed at start (README, GPU stations). */}
          {info.runtime.onnx.fallbacks.length > 0 ? <span className="muted"> ({info.runtime.onnx.fallbacks.join('; ')})</span> : null}
        </dd>
      </div>
      <div>
        <dt>Data folder</dt>
        <dd className="wrap" data-testid="data-folder">
          {info.dataFolder}
        </dd>
      </div>
      <div>
        <dt>Version</dt>
        <dd>
          QA Station {info.appVersion} ({info.shell})
        </dd>
      </div>
    </dl>
  );
}
