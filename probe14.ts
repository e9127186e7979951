import { Catalog } from './src/main/catalog/catalog';
import { loadModelVersion } from './src/main/services/modelRegistry';
import { createFeatureExtractor } from './src/main/engine/backbone/createFeatureExtractor';
import { TokenFeatureSource } from './src/main/services/tokenFeatureSource';
import { evaluateDataset } from './src/main/services/datasetEvaluation';
import { stationPaths } from './src/main/stationPaths';
(async () => {
  const [data, home] = [process.argv[2]!, process.argv[3]!];
  const paths = stationPaths(home); const catalog = Catalog.open(paths.catalogFile);
  const { model } = await loadModelVersion(catalog, catalog.models.list()[0]!.version);
  console.log('lambda', model.meta.lambda);
  const extractor = await createFeatureExtractor({ backbone: 'mobilenetv2', runtime: 'onnx', cacheDir: paths.backboneCacheDir });
  const source = new TokenFeatureSource(extractor, 14);
  for (const [label, f] of [['rec', (t: any) => t.rec], ['sem', (t: any) => t.sem], ['combined', (t: any) => t.rec.map((r: number, i: number) => r + model.meta.lambda * t.sem[i])]] as const) {
    for (const map of [{ size: 224, blurSigma: 4, scoreWindow: 16 }]) {
      const r = await evaluateDataset({ dataDir: data, source, scorerFor: async (name) => ({ scoreTokens: (tok) => f(model.scoreTerms(tok, 1, name)), dispose: () => {} }), map, describe: { method: label, ablation: null, backbone: '', featureRuntime: '', backend: '' } });
      console.log(label, 'window', map.scoreWindow, 'avg', r.avg.image?.toFixed(3), r.avg.pixel?.toFixed(3), 'per class', Object.values(r.perClass).map(c => c.imageAuroc?.toFixed(2)).join(' '));
    }
  }
})();
