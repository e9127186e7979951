import { DifferentiableGraph, type GraphValue } from '../onnx/differentiableGraph';
import { attention, dense, feedForward, gradientOutput, type LayerGraph, layerNorm, parameterLayers } from './graphLayers';
import type { LtadNetwork } from './ltadNetwork';
import { causalMaskValues } from './networkLayers';
import type { TextWord } from './textTower';

/** The data inputs of a compiled phase-1 step (compiledSteps.ts). */
export const PHASE1_INPUTS = {
  tokens: 'tokens',
  /** The reparameterisation noise of each sample, [b, T/4, latent]. */
  epsilon: 'epsilon',
  /** One-hot class rows [b, classCount]. */
  classRows: 'class_rows',
  klWeight: 'kl_weight',
  /** The pseudo-names, as data where they are not trained (the no-names ablation). */
  names: 'names/s',
} as const;

export const PHASE1_LOSS_OUTPUTS = ['total', 'recon', 'kl', 'align'] as const;

/** textTower.ts forward of "<sos> a [names] <eos>" for every class: [classCount, outputDim]. */
function classConditions(g: DifferentiableGraph, net: LtadNetwork, names: GraphValue): GraphValue {
  const text = net.text;
  const weights = text.weights();
  const constants = new Map<string, GraphValue>();
  const tower: LayerGraph = {
    g,
    weight(name) {
      let value = constants.get(name);
      if (!value) {
        const w = weights[name];
        if (!w) throw new Error(`The text tower has no weight ${name}`);
        value = g.constant(w.data, w.shape);
        constants.set(name, value);
      }
      return value;
    },
  };
  const [classes, nameTokens, width] = names.shape as [number, number, number];
  const vocabulary = weights.token_embedding as { data: Float32Array; shape: number[] };
  const words = (list: TextWord[]) => {
    const out = new Float32Array(classes * list.length * width);
    for (let c = 0; c < classes; c++)
      list.forEach((word, i) => {
        const row = text.vocabulary.indexOf(word);
        if (row < 0) throw new Error(`The text tower's vocabulary lacks "${word}"`);
        out.set(vocabulary.data.subarray(row * width, (row + 1) * width), (c * list.length + i) * width);
      });
    return g.constant(out, [classes, list.length, width]);
  };
  const length = nameTokens + 3;
  const positions = weights.position_embedding as { data: Float32Array; shape: number[] };
  let x = g.add(
    g.concat([words(['<sos>', 'a']), names, words(['<eos>'])], 1),
    g.constant(positions.data.slice(0, length * width), [length, width]),
  );
  const mask = g.constant(causalMaskValues(length), [length, length]);
  const { heads, layers } = text;
  for (let l = 0; l < layers; l++) {
    const h = layerNorm(tower, `block${l}/ln1`, x);
    x = g.add(x, attention(tower, `block${l}/attn`, h, h, heads, mask));
    x = g.add(x, feedForward(tower, `block${l}/mlp`, layerNorm(tower, `block${l}/ln2`, x)));
  }
  const last = g.reshape(g.slice(layerNorm(tower, 'ln_final', x), [1], [length - 1], [1]), [classes, width]);
  return dense(tower, 'projection', last, false);
}

/** x / (|x| + 1e-6) over the last axis. */
function unitRows(g: DifferentiableGraph, x: GraphValue): GraphValue {
  return g.div(x, g.add(g.sqrt(g.sumKeep(g.square(x), [x.shape.length - 1])), g.scalar(1e-6)));
}

function film(b: LayerGraph, name: string, h: GraphValue, condition: GraphValue): GraphValue {
  const { g } = b;
  const width = h.shape[2] as number;
  const gammaBeta = g.reshape(dense(b, `${name}/film`, condition), [-1, 1, 2 * width]);
  const gamma = g.slice(gammaBeta, [2], [0], [width]);
  const beta = g.slice(gammaBeta, [2], [width], [width]);
  return g.add(g.mul(h, g.add(gamma, g.scalar(1))), beta);
}

/**
 * Phase 1's loss and gradients as one ONNX graph: the same function as trainingSteps.ts
 * phase1Loss on tfjs (tested against it). The text tower is frozen and held as constants; the
 * VAE's weights and the pseudo-names are parameters under their store names.
 */
export function buildPhase1TrainingGraph(net: LtadNetwork, batch: number, parameterNames: readonly string[]): Uint8Array {
  const g = new DifferentiableGraph();
  const { grid, vaeWidth: w, latentChannels, alignWeight } = net.config;
  const [T, D, C] = [net.tokens, net.dim, net.classCount];
  const { params, layers: b } = parameterLayers(g, net.store, parameterNames, 'phase-1');
  const names = params.get(PHASE1_INPUTS.names) ?? g.data(PHASE1_INPUTS.names, net.names.shape);
  const x = g.data(PHASE1_INPUTS.tokens, [batch, T, D]);
  const epsilon = g.data(PHASE1_INPUTS.epsilon, [batch, T / 4, latentChannels]);
  const classRows = g.data(PHASE1_INPUTS.classRows, [batch, C]);
  const klWeight = g.data(PHASE1_INPUTS.klWeight, []);

  const conditions = classConditions(g, net, names);
  const cond = g.matMul(classRows, conditions);
  // Encoder.
  const h = g.gelu(film(b, 'vae/enc', dense(b, 'vae/enc/in', x), cond));
  const half = grid / 2;
  const down = g.reshape(g.scale(g.sumKeep(g.reshape(h, [batch, half, 2, half, 2, w]), [2, 4]), 0.25), [batch, half * half, w]);
  const stats = dense(b, 'vae/enc/stats', g.gelu(dense(b, 'vae/enc/mid', down)));
  const mean = g.slice(stats, [2], [0], [latentChannels]);
  const logVar = g.clip(g.slice(stats, [2], [latentChannels], [latentChannels]), -8, 8);
  const pooled = g.reshape(g.scale(g.sumKeep(h, [1]), 1 / T), [batch, w]);
  // Decoder.
  const z = g.add(mean, g.mul(g.exp(g.scale(logVar, 0.5)), epsilon));
  const hd = g.gelu(film(b, 'vae/dec', dense(b, 'vae/dec/in', z), cond));
  const up = g.reshape(g.expand(g.reshape(hd, [batch, half, 1, half, 1, w]), [batch, half, 2, half, 2, w]), [batch, T, w]);
  const decoded = dense(b, 'vae/dec/out', g.gelu(dense(b, 'vae/dec/mid', g.add(up, b.weight('vae/dec/pos')))));
  // Losses.
  const recon = g.mean(g.square(g.sub(x, decoded)));
  const kl = g.scale(g.mean(g.sub(g.sub(g.add(g.exp(logVar), g.square(mean)), g.scalar(1)), logVar)), 0.5);
  const logits = g.scale(g.matMul(unitRows(g, dense(b, 'vae/align', pooled)), g.transpose(unitRows(g, conditions), [1, 0])), 1 / 0.07);
  const align = g.scale(g.mean(g.mul(classRows, g.logSoftmax(logits))), -C);
  const total = g.add(g.add(recon, g.mul(kl, klWeight)), g.scale(align, alignWeight));
  const terms = { total, recon, kl, align };
  for (const name of PHASE1_LOSS_OUTPUTS) g.output(terms[name], name);
  const wrt = parameterNames.map((name) => params.get(name) as GraphValue);
  g.gradients(total, wrt).forEach((grad, i) => g.output(grad, gradientOutput(i)));
  return g.toModel(`LTAD phase-1 training step, batch ${batch}`);
}
