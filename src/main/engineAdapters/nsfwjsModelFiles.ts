import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { KerasModelArtifacts, WeightSpecJson } from '../engine/backbone/kerasModelArtifacts';
import type { KerasModelTopology } from '../engine/backbone/kerasTopology';
import type { BackboneSpec } from '../engine/backbone/backboneSpecs';

const localRequire = createRequire(__filename);

/** nsfwjs/dist/models, found through the installed package (never the network). */
export function nsfwjsModelsDir(): string {
  const entry = localRequire.resolve('nsfwjs'); // .../nsfwjs/dist/cjs/index.js
  return path.join(path.dirname(entry), '..', 'models');
}

/**
 * nsfwjs ships each model.json and weight shard as a small CommonJS module: model.min.js exports
 * {modelTopology, weightsManifest}, each shard exports its bytes as a base64 string.
 */
export function loadNsfwjsArtifacts(spec: BackboneSpec): KerasModelArtifacts {
  const dir = path.join(nsfwjsModelsDir(), spec.nsfwjsFolder);
  const modelFile = path.join(dir, 'model.min.js');
  const shardFiles = Array.from({ length: spec.shardCount }, (_, i) => path.join(dir, `group1-shard${i + 1}of${spec.shardCount}.min.js`));
  const hash = createHash('sha256');
  for (const file of [modelFile, ...shardFiles]) hash.update(readFileSync(file));

  const model = localRequire(modelFile) as {
    modelTopology: KerasModelTopology;
    weightsManifest: { paths: string[]; weights: WeightSpecJson[] }[];
  };
  const shards = shardFiles.map((file) => {
    const base64 = localRequire(file) as unknown;
    if (typeof base64 !== 'string') throw new Error(`${file} does not hold a base64 weight shard`);
    return Buffer.from(base64, 'base64');
  });
  const joined = Buffer.concat(shards);
  return {
    modelTopology: model.modelTopology,
    weightSpecs: model.weightsManifest.flatMap((group) => group.weights),
    weightData: joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength) as ArrayBuffer,
    contentHash: hash.digest('hex'),
    sourceFiles: [modelFile, ...shardFiles],
  };
}
