import type { InspectionResult } from '../../shared/api/apiRecords';

/** The part looks more like another product than the one selected (such parts always fail): the operator may have picked wrong. */
export function ClassWarning({ result }: { result: Pick<InspectionResult, 'classWarning' | 'product' | 'nearestProduct'> }) {
  if (!result.classWarning) return null;
  return (
    <p className="class-warning" role="status" data-testid="class-warning">
      This part does not look like {result.product} (nearest: {result.nearestProduct ?? 'unknown'}): it fails until the right product is
      selected.
    </p>
  );
}
