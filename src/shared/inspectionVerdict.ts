import type { DefectRegion } from './catalogTypes';

/** What an inspection decides about one image, wherever it ran: the station's inspector or an exported package. */
export interface InspectionVerdict {
  file: string;
  product: string;
  modelVersion: string;
  score: number;
  threshold: number;
  verdict: 'pass' | 'fail';
  /** In the source image's pixels, largest first. */
  regions: DefectRegion[];
  classWarning: boolean;
  nearestProduct: string;
}
