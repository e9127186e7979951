import type { BackboneId, FeatureRuntimeId } from '../../shared/backbones';
import { BACKBONE_SPECS, type BackboneSpec } from '../engine/backbone/backboneSpecs';
import type { FeatureExtractor } from '../engine/backbone/featureExtractor';
import type { LayerWeight } from '../engine/backbone/onnx/kerasLayerConverters';
import { CONVERTER_VERSION, convertKerasTapsToOnnx, ONNX_INPUT_NAME, onnxOutputName } from '../engine/backbone/onnx/kerasToOnnx';
import type { OnnxImageTower } from '../../shared/foundationPack';
import { OnnxGraphCache, sha256Hex } from './onnxGraphCache';
import type { KerasModelArtifacts } from '../engine/backbone/kerasModelArtifacts';
import { loadNsfwjsArtifacts } from './nsfwjsModelFiles';
import { createOnnxFeatureExtractor, type OnnxRunOptions } from './onnxFeatureExtractor';
import { resolveTaps } from '../engine/backbone/tapSelection';
import { createTfjsFeatureExtractor, loadTfjsLayersModel } from '../engine/backbone/tfjsFeatureExtractor';
import type { tf } from '../engine/tfjsRuntime';

export interface FeatureExtractorOptions extends OnnxRunOptions {
  backbone: BackboneId;
  runtime: FeatureRuntimeId;
  /** Layer names to tap; the backbone's defaults when absent. */
  taps?: readonly string[];
  /** Where generated ONNX graphs are cached (the station's cache folder). */
  cacheDir: string;
}

const artifactsByBackbone = new Map<BackboneId, KerasModelArtifacts>();

function artifactsFor(spec: BackboneSpec): KerasModelArtifacts {
  let artifacts = artifactsByBackbone.get(spec.id);
  if (!artifacts) {
    artifacts = loadNsfwjsArtifacts(spec);
    artifactsByBackbone.set(spec.id, artifacts);
  }
  return artifacts;
}

function layerWeights(model: tf.LayersModel, layerName: string): Map<string, LayerWeight> {
  const weights = new Map<string, LayerWeight>();
  for (const variable of model.getLayer(layerName).weights) {
    const shortName = variable.originalName.split('/').pop() as string;
    weights.set(shortName, { shape: variable.shape as number[], data: variable.read().dataSync() as Float32Array });
  }
  return weights;
}

/** The content key of a converted graph: source weights, converter version, input size and taps. */
export function onnxGraphKey(spec: BackboneSpec, artifacts: KerasModelArtifacts, taps: readonly string[]): string {
  return sha256Hex(JSON.stringify({ converter: CONVERTER_VERSION, source: artifacts.contentHash, inputSize: spec.inputSize, taps }));
}

/** Ensures the ONNX graph for these taps exists in the cache and returns its path. */
export async function ensureOnnxGraph(
  spec: BackboneSpec,
  taps: readonly string[],
  cacheDir: string,
): Promise<{ file: string; generated: boolean }> {
  const artifacts = artifactsFor(spec);
  const description = `${spec.label}; taps ${taps.join(', ')}; weights from nsfwjs@4.4.0 (sha256 ${artifacts.contentHash.slice(0, 16)})`;
  return new OnnxGraphCache(cacheDir).getOrCreate(spec.id, onnxGraphKey(spec, artifacts, taps), description, async () => {
    const model = await loadTfjsLayersModel(artifacts);
    try {
      return convertKerasTapsToOnnx({
        topology: artifacts.modelTopology,
        inputSize: spec.inputSize,
        taps,
        weightsOf: (name) => layerWeights(model, name),
        description,
      });
    } finally {
      model.dispose();
    }
  });
}

/** Opens a pretrained backbone with the requested taps on the requested runtime. */
export async function createFeatureExtractor(options: FeatureExtractorOptions): Promise<FeatureExtractor> {
  const spec = BACKBONE_SPECS[options.backbone];
  const artifacts = artifactsFor(spec);
  const taps = resolveTaps(spec, artifacts.modelTopology, options.taps);
  if (options.runtime === 'tfjs') {
    return createTfjsFeatureExtractor(spec, await loadTfjsLayersModel(artifacts), taps);
  }
  const { file } = await ensureOnnxGraph(spec, taps, options.cacheDir);
  return createOnnxFeatureExtractor(spec, file, taps, options);
}

/** A built-in backbone's ONNX graph with these taps as an image tower: the file and how to run it (what a model package carries). */
export async function builtinImageTower(
  backbone: BackboneId,
  taps: readonly string[],
  cacheDir: string,
): Promise<{ file: string; tower: OnnxImageTower }> {
  const spec = BACKBONE_SPECS[backbone];
  const { file } = await ensureOnnxGraph(spec, taps, cacheDir);
  return {
    file,
    tower: {
      file: `${backbone}.onnx`,
      input: ONNX_INPUT_NAME,
      inputSize: spec.inputSize,
      // The converted graph takes x / 255 as it is.
      mean: [0, 0, 0],
      std: [1, 1, 1],
      taps: taps.map((name) => ({ name, output: onnxOutputName(name) })),
    },
  };
}
