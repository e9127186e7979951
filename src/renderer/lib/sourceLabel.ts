import type { InspectionResult } from '../../shared/api/apiRecords';

/** Where an inspection's image came from, in the Inspect screen's words (the API and the CSV keep the ids). */
export function sourceLabel(source: InspectionResult['source']): string {
  if (source === 'hot-folder') return 'hot folder';
  if (source === 'import') return 'file';
  return 'camera';
}
