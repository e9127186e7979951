import type { BackboneId, FeatureRuntimeId } from '../../shared/backbones';
import path from 'node:path';
import type { OnnxImageTower } from '../../shared/foundationPack';
import { builtinImageTower, createFeatureExtractor } from './createFeatureExtractor';
import type { FeatureExtractor } from '../engine/backbone/featureExtractor';
import { createBuiltinTextTower, DEFAULT_TEXT_TOWER, type TextTowerConfig } from '../engine/ltad/textTower';
import type { FoundationPack } from '../engine/foundationPack/foundationPack';
import type { FoundationSource } from '../engine/ltad/foundationSource';
import { loadFoundationPack, readFoundationPackManifest } from './packLoader';

/** The built-in pack: an nsfwjs ImageNet backbone and the seeded text tower. */
export function builtinFoundationPack(
  backbone: BackboneId,
  taps?: readonly string[],
  textTower: TextTowerConfig = DEFAULT_TEXT_TOWER,
): FoundationPack {
  return {
    id: backbone,
    description: `built-in ${backbone} backbone (nsfwjs ImageNet layers) with the built-in text tower`,
    createImageEncoder: ({ cacheDir, runtime }) => createFeatureExtractor({ backbone, runtime, cacheDir, ...(taps ? { taps } : {}) }),
    createTextTower: () => createBuiltinTextTower(textTower),
  };
}

/** A model's pretrained parts: the built-in pack, or a pack folder read from disk (packLoader.ts). */
export function resolveFoundationPack(source: FoundationSource, textTower?: TextTowerConfig): FoundationPack {
  return source.kind === 'builtin' ? builtinFoundationPack(source.backbone, source.taps, textTower) : loadFoundationPack(source.dir);
}

/** The image encoder of a model's foundation; a pack's runs on onnxruntime whatever `runtime` says. */
export function openImageEncoder(source: FoundationSource, runtime: FeatureRuntimeId, cacheDir: string): Promise<FeatureExtractor> {
  return resolveFoundationPack(source).createImageEncoder({ cacheDir, runtime: source.kind === 'pack' ? 'onnx' : runtime });
}

/**
 * The ONNX image tower a model's foundation runs on, as a file and how to run it: the built-in
 * backbone's converted graph (with the model's taps), or the pack's own tower.
 */
export function foundationImageTower(
  source: FoundationSource,
  taps: readonly string[],
  cacheDir: string,
): Promise<{ file: string; tower: OnnxImageTower }> {
  if (source.kind === 'builtin') return builtinImageTower(source.backbone, source.taps ?? taps, cacheDir);
  const { imageTower } = readFoundationPackManifest(source.dir);
  return Promise.resolve({ file: path.join(source.dir, imageTower.file), tower: imageTower });
}
