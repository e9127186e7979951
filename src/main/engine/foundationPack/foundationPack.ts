import type { FeatureRuntimeId } from '../../../shared/backbones';
import type { FeatureExtractor } from '../backbone/featureExtractor';
import type { TextTower } from '../ltad/textTower';

/**
 * What LTAD needs from pretrained weights: an image encoder with tapped layers and (optionally) a
 * text tower. The built-in pack is the nsfwjs backbone with the seeded text tower; a user-supplied
 * CLIP-family pack brings both from its own files.
 */
export interface FoundationPack {
  readonly id: string;
  readonly description: string;
  createImageEncoder(options: { cacheDir: string; runtime: FeatureRuntimeId }): Promise<FeatureExtractor>;
  createTextTower(): TextTower;
}
