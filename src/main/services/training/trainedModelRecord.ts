import type { TrainedModel } from '../../../shared/training';
import type { LtadModel } from '../../engine/ltad/ltadModel';

/**
 * What the model registry records of a model written to `modelDir`, read off the model while it is
 * still in the training worker's memory: the registry then never starts TensorFlow.js or rebuilds
 * the network to learn it.
 */
export function trainedModelRecord(model: LtadModel, modelDir: string, fileHashes: Record<string, string>): TrainedModel {
  const { meta } = model;
  const pseudoNames = model.pseudoNames();
  return {
    modelDir,
    fileHashes,
    backbone: meta.backbone,
    textTower: meta.textTower,
    config: { ...meta.config, taps: meta.taps, map: meta.map, lambda: meta.lambda },
    training: meta.training,
    lambda: meta.lambda,
    featureChannels: meta.normalisation.mean.length,
    products: meta.classNames.map((name, c) => {
      const { tokens, dim, data } = pseudoNames[c] as (typeof pseudoNames)[number];
      const calibration = meta.calibration[name];
      return {
        name,
        threshold: calibration?.threshold as number,
        thresholdSource: calibration?.thresholdSource ?? 'training',
        targetFalseRejectRate: calibration?.targetFalseRejectRate ?? null,
        goodScores: [...(calibration?.goodScores ?? [])],
        pseudoName: { tokens, dim, data },
      };
    }),
  };
}
