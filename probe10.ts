import { createFeatureExtractor } from './src/main/engine/backbone/createFeatureExtractor';
import { TokenFeatureSource } from './src/main/services/tokenFeatureSource';
import { scanMvtecDataset } from './src/main/ingest/datasetLayout';
import { computeNormalisation, standardise } from './src/main/engine/features/featureNormalisation';
import { LTAD_PRESETS } from './src/main/engine/ltad/ltadConfig';
import { createBuiltinTextTower } from './src/main/engine/ltad/textTower';
import { LtadNetwork } from './src/main/engine/ltad/ltadNetwork';
import { trainLtad } from './src/main/engine/ltad/ltadTrainer';
import { scoreTerms, balanceLambda, combine } from './src/main/engine/ltad/ltadScoring';
import { evaluateDataset } from './src/main/services/datasetEvaluation';
import { initTfjs, tf } from './src/main/engine/tfjsRuntime';
import { tokenDim } from './src/main/engine/features/tokenMaps';
(async () => {
  const tfjs = await initTfjs();
  const data = process.argv[2]!;
  const preset = (process.argv[3] ?? 'fast') as 'fast';
  const extractor = await createFeatureExtractor({ backbone: 'mobilenetv2', runtime: 'onnx', cacheDir: '/tmp/qa-home/cache/backbones' });
  const source = new TokenFeatureSource(extractor, 14);
  const classes = scanMvtecDataset(data);
  const names = classes.map(c => c.name);
  const maps = await Promise.all([]); 
  const perClass = [] as { tokens: Float32Array; count: number }[];
  for (const c of classes) { const m = await source.tokensOf(c.trainGood); perClass.push({ tokens: m.data, count: m.count }); }
  const dim = tokenDim({ layerChannels: [144, 192, 384] });
  const total = perClass.reduce((a, b) => a + b.count, 0);
  const all = new Float32Array(total * 196 * dim); const classIndex = new Int32Array(total);
  let off = 0; perClass.forEach((p, c) => { all.set(p.tokens, off * 196 * dim); classIndex.fill(c, off, off + p.count); off += p.count; });
  const norm = computeNormalisation(all, total * 196, dim);
  const std = standardise(all, norm);
  const config = { ...LTAD_PRESETS[preset], layerChannels: [144, 192, 384], ablation: (process.argv[4] ?? 'none') as any };
  const text = createBuiltinTextTower(config.textTower);
  const net = new LtadNetwork(config, names.length, text);
  let last = 0;
  const t0 = performance.now();
  const outcome = await trainLtad(net, { tokens: std, count: total, classIndex }, { onProgress: (e) => { if (e.step % 20 === 0 || e.step === e.steps) console.log(e.phase, e.epoch, e.step, '/', e.steps, JSON.stringify(Object.fromEntries(Object.entries(e.losses).map(([k, v]) => [k, +v.toFixed(4)]))), 'eta', e.etaSeconds.toFixed(0), 'tensors', tf.memory().numTensors); } });
  console.log('train s', ((performance.now() - t0) / 1000).toFixed(1), outcome.phaseSeconds);
  const prompts = net.promptEmbeddings();
  const terms = perClass.map((p, c) => scoreTerms(net, prompts, standardise(p.tokens.subarray(0, Math.min(p.count, 8) * 196 * dim), norm), Math.min(p.count, 8), c));
  const lambda = balanceLambda(terms);
  console.log('lambda', lambda);
  for (const [label, lam] of [['combined', lambda], ['rec only', 0], ['sem only', 1e6]] as const) {
    const report = await evaluateDataset({ dataDir: data, source, scorerFor: async (name) => ({ scoreTokens: (tok) => { const t = scoreTerms(net, prompts, standardise(tok, norm), 1, names.indexOf(name)); return lam >= 1e6 ? t.sem : combine(t, lam); }, dispose: () => {} }), map: { size: 224, blurSigma: 4, scoreWindow: 16 }, describe: { method: 'ltad', ablation: null, backbone: 'mobilenetv2', featureRuntime: extractor.runtimeDetail, backend: tfjs.detail } });
    console.log(label, 'avg', JSON.stringify(report.avg), 'low', JSON.stringify(report.low), 'ms', report.msPerImage.toFixed(1));
  }
})();
