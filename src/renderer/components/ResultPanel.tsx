import type { InspectionResult } from '../../shared/api/apiRecords';
import { formatMilliseconds } from '../lib/formatNumbers';
import { formatDateTime } from '../lib/formatTime';
import { ClassWarning } from './ClassWarning';
import { DefectList } from './DefectList';
import { InspectionImages } from './InspectionImages';
import { VerdictBanner } from './VerdictBanner';

/** Everything about one inspection: verdict, picture with overlay, defects, warnings, latency. */
export function ResultPanel({ result }: { result: InspectionResult }) {
  return (
    // Where the screen is wide the picture takes the left and the verdict, warning and defects the
    // right, all in view without scrolling; on a narrow one they stack, verdict first.
    <div className="result">
      <div className="result__verdict">
        <VerdictBanner result={result} />
        <ClassWarning result={result} />
      </div>
      <div className="result__picture">
        <InspectionImages result={result} />
      </div>
      <div className="result__info">
        <DefectList regions={result.regions} />
        <dl className="facts facts--compact">
          <div>
            <dt>Product</dt>
            <dd>{result.product}</dd>
          </div>
          <div>
            <dt>File</dt>
            <dd className="wrap">{result.fileName}</dd>
          </div>
          <div>
            <dt>Source</dt>
            <dd>{result.source}</dd>
          </div>
          <div>
            <dt>Time</dt>
            <dd>{formatDateTime(result.at)}</dd>
          </div>
          <div>
            <dt>Latency</dt>
            <dd data-testid="latency">{result.latencyMs === null ? '—' : formatMilliseconds(result.latencyMs)}</dd>
          </div>
          <div>
            <dt>Model</dt>
            <dd>{result.modelVersion}</dd>
          </div>
          <div>
            <dt>Operator</dt>
            <dd>{result.operator ?? '—'}</dd>
          </div>
        </dl>
      </div>
    </div>
  );
}
