import type { InspectionRefusal } from '../state/InspectionFeedContext';
import { reasonWithoutFileName } from '../lib/refusalReason';
import { formatClock } from '../lib/formatTime';

/** In the result's place when the newest image was not inspected: the last verdict is not what is on the line. */
export function RefusalPanel({ refusal }: { refusal: InspectionRefusal }) {
  return (
    <div className="refusal" data-testid="refusal" role="alert">
      <div className="verdict verdict--none">
        <span className="verdict__word">NOT INSPECTED</span>
      </div>
      <p>
        <strong className="wrap">{refusal.fileName}</strong> at {formatClock(refusal.at)}:{' '}
        {reasonWithoutFileName(refusal.fileName, refusal.reason)}
      </p>
      <p className="muted">The last result is in the list below; it is not this part's.</p>
    </div>
  );
}
