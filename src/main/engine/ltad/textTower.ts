import { tf } from '../tfjsRuntime';
import { attention, causalMask, feedForward, layerNorm } from './networkLayers';
import { dense } from './networkLayers';
import { ParameterStore, type ParameterValues } from './parameterStore';

/** The words the built-in tower knows: enough for LTAD's prompts ("a" / "a broken" + class name). */
export const TEXT_VOCABULARY = ['<sos>', '<eos>', 'a', 'broken', 'object'] as const;
export type TextWord = (typeof TEXT_VOCABULARY)[number];

export interface TextTowerConfig {
  /** Token embedding width. */
  width: number;
  layers: number;
  heads: number;
  /** Output (text space) dimension. */
  outputDim: number;
  /** Weights are drawn from this seed; it is stored with every model that uses the tower. */
  seed: number;
}

export const DEFAULT_TEXT_TOWER: TextTowerConfig = { width: 64, layers: 2, heads: 4, outputDim: 128, seed: 20240617 };
const MAX_LENGTH = 8;

/**
 * Encodes prompts made of fixed words followed by learned pseudo-word embeddings. This is the
 * interface LTAD needs from a text tower: T([words; s_c]).
 */
export interface TextTower {
  readonly kind: 'builtin-random' | 'clip-pack';
  readonly description: string;
  readonly width: number;
  readonly outputDim: number;
  /** Its shape, for a compiled graph of it (phase1TrainingGraph.ts). */
  readonly layers: number;
  readonly heads: number;
  /** The words behind the rows of its token_embedding weight. */
  readonly vocabulary: readonly string[];
  /** Embedding of a known word, [width] (for initialising pseudo-names from "object"). */
  wordEmbedding(word: TextWord): tf.Tensor1D;
  /** prefix words + pseudo [n, k, width] -> [n, outputDim]; differentiable in `pseudo`. */
  encode(prefix: readonly TextWord[], pseudo: tf.Tensor): tf.Tensor2D;
  /** The frozen weights (to write a pack, or to check one). */
  weights(): ParameterValues;
  dispose(): void;
}

export interface ClipShapedTowerOptions {
  config: TextTowerConfig;
  /** Word list; must contain every word LTAD's prompts use (TEXT_VOCABULARY). */
  vocabulary: readonly string[];
  /** Trained weights (a foundation pack); absent = drawn from config.seed (the built-in tower). */
  weights?: ParameterValues;
  kind: TextTower['kind'];
  description: string;
}

/**
 * A small frozen CLIP-shaped transformer: token + position embeddings, pre-norm causal blocks, a
 * final norm, and the end-of-text token projected to the text space.
 */
export function createClipShapedTextTower(options: ClipShapedTowerOptions): TextTower {
  const { config } = options;
  const missing = TEXT_VOCABULARY.filter((w) => !options.vocabulary.includes(w));
  if (missing.length > 0) throw new Error(`The text tower's vocabulary lacks ${missing.map((w) => `"${w}"`).join(', ')}`);
  const store = new ParameterStore(config.seed);
  if (options.weights) store.load(options.weights, false);
  const tokens = store.use('token_embedding', [options.vocabulary.length, config.width], { normal: 0.02 }, false);
  const positions = store.use('position_embedding', [MAX_LENGTH, config.width], { normal: 0.01 }, false);
  if (tokens.shape[0] !== options.vocabulary.length || tokens.shape[1] !== config.width) {
    throw new Error(`token_embedding is [${tokens.shape.join(', ')}], expected [${options.vocabulary.length}, ${config.width}]`);
  }
  const wordIndex = (word: TextWord) => options.vocabulary.indexOf(word);
  const masks = new Map<number, tf.Tensor2D>();
  // Declare every weight now (or check the loaded ones by use), then freeze them all.
  tf.tidy(() => {
    forward(tf.zeros([1, 3, config.width]));
  });
  store.setTrainable('', false);
  const expected = store.names().length;
  if (options.weights && Object.keys(options.weights).length !== expected) {
    throw new Error(
      `The text tower weights hold ${Object.keys(options.weights).length} tensors; a ${config.layers}-layer tower has ${expected}`,
    );
  }

  function forward(embedded: tf.Tensor): tf.Tensor2D {
    const length = embedded.shape[1] as number;
    let mask = masks.get(length);
    if (!mask) {
      mask = tf.keep(causalMask(length)); // cached across calls: must outlive the tidy that made it
      masks.set(length, mask);
    }
    let x = embedded.add(positions.slice([0, 0], [length, config.width]));
    for (let l = 0; l < config.layers; l++) {
      const h = layerNorm(store, `block${l}/ln1`, x);
      x = x.add(attention(store, `block${l}/attn`, h, h, config.heads, mask));
      x = x.add(feedForward(store, `block${l}/mlp`, layerNorm(store, `block${l}/ln2`, x), config.width * 4));
    }
    const last = layerNorm(store, 'ln_final', x)
      .slice([0, length - 1, 0], [-1, 1, -1])
      .reshape([-1, config.width]);
    return dense(store, 'projection', last, config.outputDim, false) as tf.Tensor2D;
  }

  return {
    kind: options.kind,
    description: options.description,
    width: config.width,
    outputDim: config.outputDim,
    layers: config.layers,
    heads: config.heads,
    vocabulary: options.vocabulary,
    wordEmbedding: (word) => tf.tidy(() => tokens.gather([wordIndex(word)]).reshape([config.width]) as tf.Tensor1D),
    encode(prefix, pseudo) {
      return tf.tidy(() => {
        const n = pseudo.shape[0] as number;
        const words = (list: TextWord[]) => tokens.gather(list.map(wordIndex)).expandDims(0).tile([n, 1, 1]);
        const sequence = tf.concat([words(['<sos>', ...prefix]), pseudo, words(['<eos>'])], 1);
        if ((sequence.shape[1] as number) > MAX_LENGTH) throw new Error(`Prompt longer than ${MAX_LENGTH} tokens`);
        return forward(sequence);
      });
    },
    weights: () => store.values(),
    dispose() {
      store.dispose();
      for (const m of masks.values()) m.dispose();
    },
  };
}

/**
 * The built-in tower: weights come from a seed, not from language pre-training, so it keeps LTAD's
 * prompt structure but brings no language prior (docs/method.md, Pretrained weights).
 */
export function createBuiltinTextTower(config: TextTowerConfig = DEFAULT_TEXT_TOWER): TextTower {
  return createClipShapedTextTower({
    config,
    vocabulary: TEXT_VOCABULARY,
    kind: 'builtin-random',
    description: `built-in frozen text tower (random weights from seed ${config.seed}, ${config.layers} layers, width ${config.width}; no language prior)`,
  });
}
