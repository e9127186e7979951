import type { BackboneId, FeatureRuntimeId } from '../../../shared/backbones';
import { createFeatureExtractor } from '../backbone/createFeatureExtractor';
import type { FeatureExtractor } from '../backbone/featureExtractor';
import { createBuiltinTextTower, DEFAULT_TEXT_TOWER, type TextTowerConfig } from '../ltad/textTower';
import type { FoundationPack } from './foundationPack';
import { loadFoundationPack } from './packLoader';

/** Where a model's pretrained parts come from; stored with every model version. */
export type FoundationSource = { kind: 'builtin'; backbone: BackboneId; taps?: string[] } | { kind: 'pack'; dir: string };

/** The built-in pack: an nsfwjs ImageNet backbone and the seeded text tower. */
export function builtinFoundationPack(backbone: BackboneId, taps?: readonly string[], textTower: TextTowerConfig = DEFAULT_TEXT_TOWER): FoundationPack {
  return {
    id: backbone,
    description: `built-in ${backbone} backbone (nsfwjs ImageNet layers) with the built-in text tower`,
    createImageEncoder: ({ cacheDir, runtime }) => createFeatureExtractor({ backbone, runtime, cacheDir, ...(taps ? { taps } : {}) }),
    createTextTower: () => createBuiltinTextTower(textTower),
  };
}

export function resolveFoundationPack(source: FoundationSource, textTower?: TextTowerConfig): FoundationPack {
  return source.kind === 'builtin' ? builtinFoundationPack(source.backbone, source.taps, textTower) : loadFoundationPack(source.dir);
}

export function openImageEncoder(source: FoundationSource, runtime: FeatureRuntimeId, cacheDir: string): Promise<FeatureExtractor> {
  return resolveFoundationPack(source).createImageEncoder({ cacheDir, runtime: source.kind === 'pack' ? 'onnx' : runtime });
}
