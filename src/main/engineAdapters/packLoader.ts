import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type FoundationPackManifest, foundationPackManifestSchema } from '../../shared/foundationPack';
import { createClipShapedTextTower } from '../engine/ltad/textTower';
import { decodeWeights, type WeightEntry } from '../engine/ltad/weightFiles';
import type { FoundationPack } from '../engine/foundationPack/foundationPack';
import { openOnnxImageTower } from './onnxImageTower';

function readPackFile(dir: string, name: string): Buffer {
  const file = path.join(dir, name);
  if (!existsSync(file)) throw new Error(`Foundation pack ${dir}: ${name} is missing`);
  return readFileSync(file);
}

/** pack.json of a pack folder, validated; errors name the pack and what is wrong with it. */
export function readFoundationPackManifest(dir: string): FoundationPackManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readPackFile(dir, 'pack.json').toString('utf8'));
  } catch (error) {
    throw new Error(`Foundation pack ${dir}: pack.json is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = foundationPackManifestSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `Foundation pack ${dir}: pack.json is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/**
 * Opens a user-supplied CLIP-family pack folder: pack.json (validated), the ONNX image tower and
 * the text-tower weights. Errors name the pack and what is wrong with it.
 */
export function loadFoundationPack(dir: string): FoundationPack {
  const manifest = readFoundationPackManifest(dir);
  readPackFile(dir, manifest.imageTower.file);
  const text = manifest.textTower;
  const entries = JSON.parse(readPackFile(dir, text.manifest).toString('utf8')) as WeightEntry[];
  const weights = decodeWeights(entries, readPackFile(dir, text.weights), `${dir}/${text.weights}`);
  return {
    id: `pack:${manifest.name}`,
    description: manifest.description || manifest.name,
    createImageEncoder: () =>
      openOnnxImageTower(dir, manifest.imageTower, { backbone: `pack:${manifest.name}`, label: `pack ${manifest.name}` }),
    createTextTower: () =>
      createClipShapedTextTower({
        config: { width: text.width, layers: text.layers, heads: text.heads, outputDim: text.outputDim, seed: 0 },
        vocabulary: text.vocabulary,
        weights,
        kind: 'clip-pack',
        description: `text tower of foundation pack "${manifest.name}" (${text.layers} layers, width ${text.width})`,
      }),
  };
}
