import type { InspectionResult } from '../../shared/api/apiRecords';
import { formatScore } from '../lib/formatNumbers';

/** PASS or FAIL as large as the screen allows, with the score against the threshold beside it. */
export function VerdictBanner({ result }: { result: Pick<InspectionResult, 'verdict' | 'score' | 'threshold'> }) {
  return (
    <div className={`verdict verdict--${result.verdict}`}>
      <div className="verdict__word" data-testid="verdict" data-verdict={result.verdict}>
        {result.verdict === 'pass' ? 'PASS' : 'FAIL'}
      </div>
      <div className="verdict__numbers">
        <span>
          score <strong data-testid="score">{formatScore(result.score)}</strong>
        </span>
        <span>
          threshold <strong data-testid="threshold">{formatScore(result.threshold)}</strong>
        </span>
      </div>
    </div>
  );
}
