import type { InspectionResult } from '../../shared/api/apiRecords';

/**
 * The part does not look like the product selected (such parts always fail): it looks more like
 * another product (the operator may have picked wrong), or like none the model knows.
 */
export function ClassWarning({ result }: { result: Pick<InspectionResult, 'classWarning' | 'product' | 'nearestProduct'> }) {
  if (!result.classWarning) return null;
  const other = result.nearestProduct && result.nearestProduct !== result.product ? result.nearestProduct : null;
  return (
    <p className="class-warning" role="status" data-testid="class-warning">
      {other
        ? `This part does not look like ${result.product}: it looks more like ${other}. It fails until the right product is selected.`
        : `This part does not look like ${result.product}, nor like any other product the model knows. It fails until the right product is selected, or the model is trained on it.`}
    </p>
  );
}
