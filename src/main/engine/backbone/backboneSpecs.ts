import type { BackboneId } from '../../../shared/backbones';

/**
 * The built-in image encoders: Keras models shipped inside nsfwjs@4.4.0 (MIT). Only layers that
 * kept their ImageNet weights may be tapped (docs/method.md, Pretrained weights); later layers were
 * fine-tuned for another task.
 */
export interface BackboneSpec {
  id: BackboneId;
  label: string;
  /** Folder under nsfwjs/dist/models. */
  nsfwjsFolder: string;
  shardCount: number;
  /** Square input size in pixels; inputs are RGB in [0, 1] (x / 255). */
  inputSize: number;
  defaultTaps: readonly string[];
  /** The deepest layer that still has ImageNet weights: taps must come at or before it. */
  lastImageNetLayer: string;
}

export const BACKBONE_SPECS: Record<BackboneId, BackboneSpec> = {
  mobilenetv2: {
    id: 'mobilenetv2',
    label: 'MobileNetV2 (ImageNet layers up to block_10), 224 px',
    nsfwjsFolder: 'mobilenet_v2',
    shardCount: 1,
    inputSize: 224,
    defaultTaps: ['block_3_expand_relu', 'block_6_expand_relu', 'block_10_expand_relu'],
    lastImageNetLayer: 'block_10_project_BN',
  },
  inceptionv3: {
    id: 'inceptionv3',
    label: 'InceptionV3 (ImageNet layers up to mixed5), 299 px',
    nsfwjsFolder: 'inception_v3',
    shardCount: 6,
    inputSize: 299,
    defaultTaps: ['mixed2', 'mixed5'],
    lastImageNetLayer: 'mixed5',
  },
};
