import { Catalog } from './src/main/catalog/catalog';
import { loadModelVersion } from './src/main/services/modelRegistry';
import { createFeatureExtractor } from './src/main/engine/backbone/createFeatureExtractor';
import { TokenFeatureSource } from './src/main/services/tokenFeatureSource';
import { evaluateDataset } from './src/main/services/datasetEvaluation';
import { stationPaths } from './src/main/stationPaths';
import { tf } from './src/main/engine/tfjsRuntime';
(async () => {
  const [data, home] = [process.argv[2]!, process.argv[3]!];
  const paths = stationPaths(home); const catalog = Catalog.open(paths.catalogFile);
  const { model } = await loadModelVersion(catalog, catalog.models.list()[0]!.version);
  const extractor = await createFeatureExtractor({ backbone: 'mobilenetv2', runtime: 'onnx', cacheDir: paths.backboneCacheDir });
  const source = new TokenFeatureSource(extractor, 14);
  const dim = 720;
  const norm = (tok: Float32Array) => { const s = model.standardised(tok); const out = new Float32Array(196); for (let t = 0; t < 196; t++) { let a = 0; for (let k = 0; k < dim; k++) a += s[t * dim + k]! ** 2; out[t] = a / dim; } return out; };
  const recon = (tok: Float32Array) => tf.tidy(() => { const x = tf.tensor3d(model.standardised(tok), [1, 196, dim]); const r = model.network.reconstruct(x); return r.square().mean(-1).dataSync() as Float32Array; }).slice();
  for (const [label, f] of [['|x|^2', norm], ['|R(x)|^2', recon], ['rec', (tok: Float32Array) => model.scoreTerms(tok, 1, 'product_00').rec]] as const) {
    const r = await evaluateDataset({ dataDir: data, source, scorerFor: async () => ({ scoreTokens: f, dispose: () => {} }), map: { size: 224, blurSigma: 4, scoreWindow: 16 }, describe: { method: label, ablation: null, backbone: '', featureRuntime: '', backend: '' } });
    console.log(label, 'avg', r.avg.image?.toFixed(3), r.avg.pixel?.toFixed(3), 'per class', Object.values(r.perClass).map(c => c.imageAuroc?.toFixed(3)).join(' '));
  }
})();
