import { fastMatMul } from '../tensorKernels/fastMatMul';
import { gelu } from '../tensorKernels/gelu';
import { tf } from '../tfjsRuntime';
import type { LtadConfig } from './ltadConfig';
import { memoryReconstruct, memoryReconstructionError } from './memoryReconstruction';
import { attention, dense, feedForward, layerNorm, neighbourMask, selectRows } from './networkLayers';
import { ParameterStore } from './parameterStore';
import type { TextTower } from './textTower';

/**
 * The LTAD network (docs/method.md, Network and training): a conditional VAE over token maps
 * (phase 1), the reconstruction module with neighbour-masked attention and per-layer learned
 * queries, and the per-layer semantic projections compared with the text embeddings of "a" /
 * "a broken" + the class's pseudo-name (phase 2). Inputs are standardised token maps
 * [b, grid*grid, dim].
 */
export class LtadNetwork {
  readonly store: ParameterStore;
  readonly tokens: number;
  readonly dim: number;
  private readonly mask: tf.Tensor2D;

  constructor(
    readonly config: LtadConfig,
    readonly classCount: number,
    readonly text: TextTower,
  ) {
    this.store = new ParameterStore(config.seed + 1);
    this.tokens = config.grid * config.grid;
    this.dim = config.layerChannels.reduce((a, b) => a + b, 0);
    this.mask = neighbourMask(config.grid, config.window);
    // Pseudo-names start as the embedding of "object" (the paper's initialisation).
    const object = text.wordEmbedding('object');
    const init = tf.tidy(() => object.reshape([1, 1, text.width]).tile([classCount, config.nameTokens, 1]));
    this.store.load({ 'names/s': { shape: init.shape, data: init.dataSync() as Float32Array } });
    tf.dispose([object, init]);
    // Direct per-class classifier vectors, used only by that ablation.
    this.store.use('direct/normal', [classCount, text.outputDim], { normal: 0.1 });
    this.store.use('direct/abnormal', [classCount, text.outputDim], { normal: 0.1 });
  }

  /** [classCount, nameTokens, width] learned pseudo-name embeddings. */
  get names(): tf.Variable {
    return this.store.get('names/s');
  }

  /** Class conditions e_c = T(["a"; s_c]) for all classes: [classCount, textDim]. */
  classConditions(): tf.Tensor2D {
    return this.text.encode(['a'], this.names);
  }

  /** Unit-norm text embeddings t_n and t_a per class: [classCount, 2, textDim]. */
  promptEmbeddings(): tf.Tensor3D {
    return tf.tidy(() => {
      if (this.config.ablation === 'direct-classifier') {
        return tf.stack([this.store.get('direct/normal'), this.store.get('direct/abnormal')], 1) as tf.Tensor3D;
      }
      const normal = this.text.encode(['a'], this.names);
      const broken = this.text.encode(['a', 'broken'], this.names);
      const both = tf.stack([normal, broken], 1);
      return both.div(both.norm('euclidean', -1, true).add(1e-6)) as tf.Tensor3D;
    });
  }

  private film(name: string, h: tf.Tensor, condition: tf.Tensor): tf.Tensor {
    const width = h.shape[2] as number;
    const gammaBeta = dense(this.store, `${name}/film`, condition, 2 * width).reshape([-1, 1, 2 * width]);
    const [gamma, beta] = tf.split(gammaBeta, 2, 2) as [tf.Tensor, tf.Tensor];
    return h.mul(gamma.add(1)).add(beta);
  }

  /** VAE encoder: tokens [b, T, dim] + condition [b, textDim] -> mean, log-variance [b, T/4, z]. */
  encode(x: tf.Tensor, condition: tf.Tensor): { mean: tf.Tensor; logVar: tf.Tensor; pooled: tf.Tensor } {
    const { grid, vaeWidth, latentChannels } = this.config;
    const b = x.shape[0] as number;
    const h = gelu(this.film('vae/enc', dense(this.store, 'vae/enc/in', x, vaeWidth, true, true), condition));
    const down = tf.avgPool(h.reshape([b, grid, grid, vaeWidth]) as tf.Tensor4D, 2, 2, 'valid').reshape([b, -1, vaeWidth]);
    const stats = dense(this.store, 'vae/enc/stats', gelu(dense(this.store, 'vae/enc/mid', down, vaeWidth)), 2 * latentChannels);
    const [mean, logVar] = tf.split(stats, 2, 2) as [tf.Tensor, tf.Tensor];
    return { mean, logVar: logVar.clipByValue(-8, 8), pooled: h.mean(1) };
  }

  /** VAE decoder: latent [b, T/4, z] + condition -> synthetic tokens [b, T, dim]. */
  decode(z: tf.Tensor, condition: tf.Tensor): tf.Tensor {
    const { grid, vaeWidth } = this.config;
    const b = z.shape[0] as number;
    const h = gelu(this.film('vae/dec', dense(this.store, 'vae/dec/in', z, vaeWidth), condition));
    const up = tf.image
      .resizeNearestNeighbor(h.reshape([b, grid / 2, grid / 2, vaeWidth]) as tf.Tensor4D, [grid, grid])
      .reshape([b, this.tokens, vaeWidth]);
    const positioned = up.add(this.store.use('vae/dec/pos', [this.tokens, vaeWidth], { normal: 0.02 }));
    return dense(this.store, 'vae/dec/out', gelu(dense(this.store, 'vae/dec/mid', positioned, vaeWidth)), this.dim);
  }

  /** Image-level embedding for the class-alignment loss: [b, textDim], unit norm. */
  alignEmbedding(pooled: tf.Tensor): tf.Tensor {
    const e = dense(this.store, 'vae/align', pooled, this.text.outputDim);
    return e.div(e.norm('euclidean', -1, true).add(1e-6));
  }

  /**
   * The training row of every memory entry, [classCount * memorySize], while the network is being
   * trained and calibrated (not saved: a loaded model scores only new images).
   */
  memorySourceRows?: Int32Array;

  /**
   * Reconstruction module: (possibly anomalous) tokens [b, T, dim] of classes `classIndex` ->
   * reconstructed normal tokens. `ownRows` names the training row of each sample, whose memory
   * entries are then left out (calibration on training images).
   */
  reconstruct(x: tf.Tensor, classIndex: tf.Tensor1D, ownRows?: readonly number[]): tf.Tensor {
    if (this.config.reconstruction === 'memory')
      return memoryReconstruct(this.store, x, classIndex, this.config.memoryTemperature, this.excludedEntries(classIndex, ownRows));
    return this.transformerReconstruct(x);
  }

  /** S_rec per token, [b, T]: the squared reconstruction error (for the memory, its match distance: memoryReconstruction.ts). */
  reconstructionError(x: tf.Tensor, classIndex: tf.Tensor1D, ownRows?: readonly number[]): tf.Tensor {
    if (this.config.reconstruction === 'memory')
      return memoryReconstructionError(this.store, x, classIndex, this.config.memoryTemperature, this.excludedEntries(classIndex, ownRows));
    return this.transformerReconstruct(x).sub(x).square().mean(-1);
  }

  private excludedEntries(classIndex: tf.Tensor1D, ownRows: readonly number[] | undefined): tf.Tensor | undefined {
    return ownRows ? this.ownEntryMask(classIndex, ownRows) : undefined;
  }

  /** [b, 1, size]: a large negative number on the entries of each sample's own row, else 0. */
  private ownEntryMask(classIndex: tf.Tensor1D, ownRows: readonly number[]): tf.Tensor {
    const sources = this.memorySourceRows;
    if (!sources) throw new Error('This network does not know where its memory entries came from');
    const size = this.config.memorySize;
    const classes = classIndex.dataSync();
    const mask = new Float32Array(ownRows.length * size);
    ownRows.forEach((row, i) => {
      const first = (classes[i] as number) * size;
      // A product with a single training image has nothing else to compare it with: keep its entries.
      let others = 0;
      for (let s = 0; s < size; s++) if (sources[first + s] !== row) others++;
      if (others === 0) return;
      for (let s = 0; s < size; s++) if (sources[first + s] === row) mask[i * size + s] = -1e9;
    });
    return tf.tensor3d(mask, [ownRows.length, 1, size]);
  }

  /** UniAD's reconstruction module (docs/method.md, Phase 2). */
  private transformerReconstruct(x: tf.Tensor): tf.Tensor {
    const { width, heads, ffn, encoderLayers, decoderLayers } = this.config;
    const b = x.shape[0] as number;
    const pos = this.store.use('rm/pos', [this.tokens, width], { normal: 0.02 });
    let h = dense(this.store, 'rm/in', x, width, true, true).add(pos);
    for (let l = 0; l < encoderLayers; l++) {
      const n = layerNorm(this.store, `rm/enc${l}/ln1`, h);
      h = h.add(attention(this.store, `rm/enc${l}/attn`, n, n, heads));
      h = h.add(feedForward(this.store, `rm/enc${l}/ffn`, layerNorm(this.store, `rm/enc${l}/ln2`, h), ffn));
    }
    const memory = layerNorm(this.store, 'rm/memory_ln', h);
    let q: tf.Tensor = tf.zeros([b, this.tokens, width]);
    for (let l = 0; l < decoderLayers; l++) {
      // Each decoder layer has its own learned queries (UniAD's layer-wise query decoder); the
      // neighbour mask on its attention to the encoder memory keeps it from copying its input.
      q = q.add(this.store.use(`rm/dec${l}/query`, [this.tokens, width], { normal: 0.02 }).add(pos));
      q = q.add(attention(this.store, `rm/dec${l}/attn`, layerNorm(this.store, `rm/dec${l}/ln1`, q), memory, heads, this.mask));
      q = q.add(feedForward(this.store, `rm/dec${l}/ffn`, layerNorm(this.store, `rm/dec${l}/ln2`, q), ffn));
    }
    return dense(this.store, 'rm/out', layerNorm(this.store, 'rm/out_ln', q), this.dim);
  }

  /**
   * Semantic branch: per-layer projections Phi_l of each token, max-pooled over layers, scored
   * against [t_n, t_a] of each sample's class (tau = 1). Returns logits [b, T, 2].
   */
  semanticLogits(x: tf.Tensor, prompts: tf.Tensor3D, classIndex: tf.Tensor1D): tf.Tensor {
    let offset = 0;
    const projected = this.config.layerChannels.map((channels, l) => {
      const slice = x.slice([0, 0, offset], [-1, -1, channels]);
      offset += channels;
      return dense(this.store, `sem/phi${l}`, slice, this.text.outputDim, true, true);
    });
    const v = projected.reduce((a, b) => tf.maximum(a, b));
    const classPrompts = selectRows(prompts, classIndex); // [b, 2, textDim]
    return fastMatMul(v, classPrompts.transpose([0, 2, 1]));
  }

  /** Whether phase 2's loss has a reconstruction term (a frozen memory has nothing to learn from it). */
  get trainsReconstruction(): boolean {
    return this.config.reconstruction !== 'memory' || this.config.memoryTrainable;
  }

  /** Trainable parameters of one phase. */
  parameters(phase: 'phase1' | 'phase2'): tf.Variable[] {
    if (phase === 'phase1') {
      const names = this.config.ablation === 'no-names' ? [] : [this.names];
      return [...this.store.trainable('vae/'), ...names];
    }
    const direct = this.config.ablation === 'direct-classifier' ? [...this.store.trainable('direct/')] : [];
    return [
      ...(this.trainsReconstruction ? this.store.trainable('rm/') : []),
      ...(this.config.ablation === 'no-semantic' ? [] : this.store.trainable('sem/')),
      ...direct,
    ];
  }

  dispose(): void {
    this.store.dispose();
    this.mask.dispose();
  }
}
