import type { InspectionResult } from '../../shared/api/apiRecords';

/** A person's review of a verdict in words (the CSV keeps the ids, for scripts). */
export function reviewLabel(review: InspectionResult['review']): string {
  if (review === 'false-reject') return 'false reject';
  if (review === 'false-accept') return 'false accept';
  return '';
}
