import type { InspectionResult } from '../../../shared/api/apiRecords';
import { useState } from 'react';
import { ClassWarning } from '../../components/ClassWarning';
import { DefectList } from '../../components/DefectList';
import { ErrorScope } from '../../components/ErrorScope';
import { InspectionImages } from '../../components/InspectionImages';
import { VerdictBanner } from '../../components/VerdictBanner';
import { formatDateTime } from '../../lib/formatTime';
import { scaleOf } from '../../lib/scoreScale';
import { sourceLabel } from '../../lib/sourceLabel';
import { HistoryActions } from './HistoryActions';

interface Props {
  result: InspectionResult;
  onChanged: (result: InspectionResult) => void;
  onClose: () => void;
}

/** One past inspection with its overlay and regions; the operator can mark the verdict wrong. */
export function HistoryDetail({ result, onChanged, onClose }: Props) {
  const [highlighted, setHighlighted] = useState<number | null>(null);

  return (
    <section className="panel history-detail" data-testid="history-detail">
      <div className="panel__header">
        <h2 className="panel__title">
          Inspection {result.id}: {result.product}, {formatDateTime(result.at)}
        </h2>
        <button type="button" className="button" data-testid="history-close" onClick={onClose}>
          Close
        </button>
      </div>
      <VerdictBanner result={result} />
      <ClassWarning result={result} />
      <p>
        {result.fileName} · {sourceLabel(result.source)} · model {result.modelVersion} · operator {result.operator ?? '—'}
      </p>
      {/* A refusal (the session timed out, the image is gone) is said under these buttons. */}
      <ErrorScope>
        <HistoryActions result={result} onChanged={onChanged} />
      </ErrorScope>
      <div className="history-detail__body">
        <InspectionImages result={result} highlighted={highlighted} />
        <DefectList regions={result.regions} scale={scaleOf(result)} highlighted={highlighted} onHighlight={setHighlighted} />
      </div>
    </section>
  );
}
