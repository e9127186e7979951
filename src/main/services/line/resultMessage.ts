import type { Inspection } from '../../../shared/catalogTypes';
import { NORMALISED_THRESHOLD, recordedNormalisedScore } from '../../../shared/normalisedScore';

/** One inspection as the line's systems read it (docs/line-integration.md, MQTT). */
export interface ResultMessage {
  /** The inspection's id in the station's catalogue: a receiver drops a repeat (QoS 1 may deliver twice). */
  id: number;
  station: string;
  product: string;
  verdict: 'pass' | 'fail';
  /** The normalised score (threshold 0.5); null for inspections recorded before scales were kept. */
  score: number | null;
  threshold: number;
  rawScore: number;
  rawThreshold: number;
  model: string;
  /** The part did not look like the product it was inspected as. */
  wrongProduct: boolean;
  defects: { x: number; y: number; width: number; height: number; area: number }[];
  time: string;
}

export function resultMessage(
  inspection: Inspection,
  names: { product(classId: number): string; model(id: number): string },
): ResultMessage {
  return {
    id: inspection.id,
    station: inspection.station,
    product: names.product(inspection.classId),
    verdict: inspection.verdict,
    score: recordedNormalisedScore(inspection),
    threshold: NORMALISED_THRESHOLD,
    rawScore: inspection.score,
    rawThreshold: inspection.threshold,
    model: names.model(inspection.modelVersionId),
    wrongProduct: inspection.classWarning,
    defects: inspection.regions.map(({ x, y, width, height, area }) => ({ x, y, width, height, area })),
    time: inspection.at,
  };
}
