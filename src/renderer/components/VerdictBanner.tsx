import type { InspectionResult } from '../../shared/api/apiRecords';
import { NORMALISED_THRESHOLD } from '../../shared/normalisedScore';
import { formatNormalisedScore, formatScore } from '../lib/formatNumbers';

type Scored = Pick<InspectionResult, 'verdict' | 'score' | 'threshold' | 'normalisedScore'>;

/**
 * PASS or FAIL as large as the screen allows, with the score against the threshold beside it: the
 * normalised score (threshold 0.5 on every product), and the model's raw score and threshold in
 * small type for engineers. Inspections recorded before scales were kept show the raw pair alone.
 */
export function VerdictBanner({ result }: { result: Scored }) {
  const normalised = result.normalisedScore;
  return (
    <div className={`verdict verdict--${result.verdict}`}>
      <div className="verdict__word" data-testid="verdict" data-verdict={result.verdict}>
        {result.verdict === 'pass' ? 'PASS' : 'FAIL'}
      </div>
      <div className="verdict__numbers">
        <span>
          score <strong data-testid="score">{normalised === null ? formatScore(result.score) : formatNormalisedScore(normalised)}</strong>
        </span>
        <span>
          threshold{' '}
          <strong data-testid="threshold">
            {normalised === null ? formatScore(result.threshold) : formatNormalisedScore(NORMALISED_THRESHOLD)}
          </strong>
        </span>
        {normalised !== null && (
          <span className="verdict__raw muted" data-testid="raw-score" title="The model's own score and threshold">
            raw {formatScore(result.score)} / {formatScore(result.threshold)}
          </span>
        )}
      </div>
    </div>
  );
}
