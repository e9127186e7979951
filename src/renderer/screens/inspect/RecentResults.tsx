import type { InspectionResult } from '../../../shared/api/apiRecords';
import { formatShownScore } from '../../lib/formatNumbers';
import { formatClock } from '../../lib/formatTime';

/** The last few verdicts, newest first, so a run of failures stands out. */
export function RecentResults({ results }: { results: readonly InspectionResult[] }) {
  if (results.length === 0) return null;
  return (
    <ol className="recent-results">
      {results.map((result) => (
        <li key={result.id} className={`recent-results__item recent-results__item--${result.verdict}`}>
          <strong>{result.verdict === 'pass' ? 'PASS' : 'FAIL'}</strong>
          <span>{result.product}</span>
          <span>{formatShownScore(result)}</span>
          <span>{formatClock(result.at)}</span>
        </li>
      ))}
    </ol>
  );
}
