import { LtadModel, type LtadModelMeta } from '../engine/ltad/ltadModel';
import type { ParameterValues } from '../engine/ltad/parameterStore';
import { resolveFoundationPack } from './resolveFoundationPack';

/**
 * A trained model from its meta and weights, with the text tower of its foundation: built in, or
 * read from the pack folder it was trained with.
 */
export function openLtadModel(meta: LtadModelMeta, weights: ParameterValues): LtadModel {
  return LtadModel.fromWeights(meta, weights, () => resolveFoundationPack(meta.foundation, meta.config.textTower).createTextTower());
}
