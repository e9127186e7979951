import { useEffect, useState } from 'react';
import type { InspectionResult } from '../../../shared/api/apiRecords';
import { SupervisorNotice } from '../../components/SupervisorNotice';
import { useApiCall } from '../../hooks/useApiCall';
import { reviewLabel } from '../../lib/reviewLabel';
import { useStationInfo } from '../../state/StationInfoContext';

type Review = InspectionResult['review'];

interface Props {
  result: InspectionResult;
  onChanged: (result: InspectionResult) => void;
}

/** The two mistakes a person can record against a verdict (clearing is its own button). */
const REVIEWS: { review: NonNullable<Review>; label: string }[] = [
  { review: 'false-reject', label: 'False reject' },
  { review: 'false-accept', label: 'False accept' },
];

/** What a past inspection's image can be added as: a good training image, or a labelled defect for validation. */
const ADD_IMAGE_ACTIONS = [
  { kind: 'good', testId: 'add-as-good', label: 'good images', className: 'button button--primary' },
  { kind: 'defect', testId: 'add-as-defect', label: 'labelled defects', className: 'button' },
] as const;

/** What can be done with one past inspection: mark its verdict wrong, or add its image to its product (supervisor). */
export function HistoryActions({ result, onChanged }: Props) {
  const { supervisor } = useStationInfo();
  const review = useApiCall((client, value: Review) => client['history.review']({ id: result.id, review: value }));
  // The station reviews the verdict with the image it adds (a failed good part is a false reject, a
  // passed defect a false accept): the row is read back for its review.
  const addImage = useApiCall(async (client, kind: 'good' | 'defect') => {
    const report = await client[kind === 'good' ? 'history.addAsGood' : 'history.addAsDefect']({ id: result.id });
    return { report, updated: await client['history.get']({ id: result.id }) };
  });
  const [added, setAdded] = useState<string | null>(null);
  // What was said about one inspection does not stay on the next one opened.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the inspection's id is the reset trigger
  useEffect(() => setAdded(null), [result.id]);
  const onAddImage = async (kind: 'good' | 'defect') => {
    const outcome = await addImage.run(kind);
    if (!outcome) return;
    const { report, updated } = outcome;
    setAdded(
      report.added === 0
        ? `${result.product} has this image already.`
        : kind === 'good'
          ? `Added to ${result.product}'s good images: ${result.product} needs a retrain (Retrain screen) to use it.`
          : `Added to ${result.product}'s labelled defects: validate a model on them under Retrain.`,
    );
    onChanged(updated);
  };
  const setReview = async (value: Review) => {
    const updated = await review.run(value);
    if (updated) onChanged(updated);
  };

  return (
    <>
      <p className="big">
        Review:{' '}
        <strong data-testid="history-review" data-review={result.review ?? ''}>
          {result.review ? reviewLabel(result.review) : 'none'}
        </strong>
      </p>
      <div className="button-row">
        {REVIEWS.map(({ review: value, label }) => (
          <button
            key={value}
            type="button"
            className="button"
            data-testid={`review-${value}`}
            aria-pressed={result.review === value}
            // A false reject is a FAIL that was a good part; a false accept a PASS that was defective.
            disabled={review.pending || (value === 'false-accept') !== (result.verdict === 'pass')}
            onClick={() => void setReview(value)}
          >
            {label}
          </button>
        ))}
        <button type="button" className="button" data-testid="review-clear" disabled={review.pending} onClick={() => void setReview(null)}>
          Clear review
        </button>
        {/* Shown but disabled while locked (a supervisor session that timed out), with why beneath. */}
        {result.image &&
          ADD_IMAGE_ACTIONS.map(({ kind, testId, label, className }) => (
            <button
              key={kind}
              type="button"
              className={className}
              data-testid={testId}
              disabled={!supervisor || addImage.pending}
              onClick={() => void onAddImage(kind)}
            >
              Add to {result.product}'s {label}
            </button>
          ))}
      </div>
      {result.image && <SupervisorNotice what="add images to a product" />}
      {added && (
        <p className="notice" role="status" data-testid="add-as-good-result">
          {added}
        </p>
      )}
    </>
  );
}
