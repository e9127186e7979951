import type { DefectRegion } from './catalogTypes';

/** What an inspection decides about one image, wherever it ran: the station's inspector or an exported package. */
export interface InspectionVerdict {
  file: string;
  product: string;
  modelVersion: string;
  /** The raw image score, on the model's own scale (for engineers). */
  score: number;
  threshold: number;
  /** The score people read: threshold at 0.5 (normalisedScore.ts); null where the product's scale is unknown. */
  normalisedScore: number | null;
  verdict: 'pass' | 'fail';
  /** In the source image's pixels, largest first. */
  regions: DefectRegion[];
  classWarning: boolean;
  nearestProduct: string;
}
