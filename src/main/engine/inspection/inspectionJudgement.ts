import type { DefectRegion } from '../../../shared/catalogTypes';
import type { InputFrame } from '../features/inputFrame';
import type { ScoreMap } from '../scoring/anomalyMap';
import { checkPrototype, type ClassPrototypes, type PrototypeCheck } from '../scoring/classPrototypes';
import { defectRegions, scaleRegions } from '../scoring/defectRegions';
import { tokenScoresToMap, type MapOptions } from '../scoring/mapPostprocess';

/** What an inspection decides from one image's per-token scores (docs/ARCHITECTURE.md, How one inspection flows). */
export interface InspectionJudgement {
  /** Over the image's own frame, at the model's map size. */
  map: ScoreMap;
  imageScore: number;
  verdict: 'pass' | 'fail';
  /** In the source image's pixels, largest first; empty when the score is under the threshold. */
  regions: DefectRegion[];
  prototypeCheck: PrototypeCheck;
}

export interface JudgementInput {
  /** S per token of one image, [grid * grid] (the heads' combined score). */
  tokenScores: Float32Array;
  grid: number;
  map: MapOptions;
  /** Where the image lay in the network input. */
  frame: InputFrame;
  threshold: number;
  product: string;
  prototypes: ClassPrototypes;
  /** The image's mean standardised token (classPrototypes.ts, pooledEmbedding). */
  pooled: Float32Array;
  sourceSize: { width: number; height: number };
}

/**
 * The share of the map above the threshold from which an image far outside its product is taken
 * for another product: a defect, even a large one, covers part of a part (docs/method.md, Product check).
 */
export const WHOLE_PART = 0.5;

function aboveFraction(map: ScoreMap, threshold: number): number {
  let above = 0;
  for (let i = 0; i < map.data.length; i++) if ((map.data[i] as number) > threshold) above++;
  return above / Math.max(map.data.length, 1);
}

/**
 * The pure step between the heads and the record: map, image score, verdict, regions and the check
 * that the part looks like the product being run. A part that does not is never passed, whatever
 * its score: the threshold only means something for the product it was calibrated on.
 */
export function judgeInspection(input: JudgementInput): InspectionJudgement {
  const { map, imageScore } = tokenScoresToMap(input.tokenScores, input.grid, input.map, input.frame);
  const check = checkPrototype(input.prototypes, input.pooled, input.product);
  // Far outside the product: never passed on its score (an unseen product can score low against the
  // selected one), and taken for another product where it is anomalous almost everywhere. Anomalous
  // in part of it, it is more likely a large defect on this product, and fails on its score.
  const anomalous = imageScore > input.threshold;
  const otherProduct = check.farOutside && (!anomalous || aboveFraction(map, input.threshold) >= WHOLE_PART);
  const prototypeCheck = { ...check, warning: check.warning || otherProduct };
  const verdict = anomalous || prototypeCheck.warning ? 'fail' : 'pass';
  const regions = anomalous ? scaleRegions(defectRegions(map, input.threshold), map, input.sourceSize) : [];
  return { map, imageScore, verdict, regions, prototypeCheck };
}
