import { useState } from 'react';
import type { InspectionResult } from '../../shared/api/apiRecords';
import { formatMilliseconds } from '../lib/formatNumbers';
import { formatDateTime } from '../lib/formatTime';
import { ClassWarning } from './ClassWarning';
import { DefectList } from './DefectList';
import { InspectionImages } from './InspectionImages';
import { VerdictBanner } from './VerdictBanner';
import { scaleOf } from '../lib/scoreScale';

/** Everything about one inspection: verdict, picture with overlay, defects, warnings, latency. */
export function ResultPanel({ result }: { result: InspectionResult }) {
  const [highlighted, setHighlighted] = useState<number | null>(null);
  return (
    // Where the screen is wide the picture takes the left and the verdict, warning and defects the
    // right, all in view without scrolling; on a narrow one they stack, verdict first.
    <div className="result">
      <div className="result__verdict">
        <VerdictBanner result={result} />
        <ClassWarning result={result} />
      </div>
      <div className="result__picture">
        <InspectionImages result={result} highlighted={highlighted} />
      </div>
      <div className="result__info">
        <DefectList regions={result.regions} scale={scaleOf(result)} highlighted={highlighted} onHighlight={setHighlighted} />
        <dl className="facts facts--compact">
          {facts(result).map(({ label, value, testId, wrap }) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd className={wrap ? 'wrap' : undefined} data-testid={testId}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}

/** The inspection's particulars, in the order the panel lists them. */
function facts(result: InspectionResult): { label: string; value: string; testId?: string; wrap?: boolean }[] {
  return [
    { label: 'Product', value: result.product },
    { label: 'File', value: result.fileName, wrap: true },
    { label: 'Source', value: result.source },
    { label: 'Time', value: formatDateTime(result.at) },
    { label: 'Latency', value: result.latencyMs === null ? '—' : formatMilliseconds(result.latencyMs), testId: 'latency' },
    { label: 'Model', value: result.modelVersion },
    { label: 'Operator', value: result.operator ?? '—' },
  ];
}
