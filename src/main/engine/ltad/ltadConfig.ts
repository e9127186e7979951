import type { InputFit } from '../../../shared/inputFit';
import type { TextTowerConfig } from './textTower';
import { DEFAULT_TEXT_TOWER } from './textTower';

/** LTAD's ablations (docs/method.md, Optimisation, presets and ablations; the paper's Table 5). */
export const LTAD_ABLATIONS = ['none', 'no-semantic', 'no-vae', 'no-names', 'direct-classifier'] as const;
export type LtadAblation = (typeof LTAD_ABLATIONS)[number];

export interface LtadConfig {
  /** Token grid (divisible by 2: the VAE latent is grid / 2). */
  grid: number;
  /**
   * How images enter the backbone (docs/method.md, Token maps): letterboxed by default; absent in
   * models saved before the choice existed, which stretched (inputFitOf).
   */
  inputFit?: InputFit;
  layerChannels: number[];
  /**
   * The reconstruction module: UniAD's transformer ('transformer') or a per-product memory of
   * normal tokens ('memory', memoryReconstruction.ts). Models saved before the choice existed are
   * 'transformer'.
   */
  reconstruction?: 'transformer' | 'memory';
  /** Memory entries per product, and the softmax temperature they start at. */
  memorySize: number;
  memoryTemperature: number;
  /**
   * Whether phase 2 refines the memory and its temperature. Measured on the real dev set (fast
   * preset, 160 steps): S_rec image AUROC 0.856 before, 0.858 after, at several times the step
   * cost; off by default.
   */
  memoryTrainable: boolean;
  /**
   * How much a memory entry's place on the part counts beside its appearance: one grid cell of
   * displacement costs this fraction of the product's typical token distance (normalMemory.ts).
   * 0 compares by appearance alone, as PatchCore does; absent in models saved before it existed.
   */
  memoryPositionWeight?: number;
  /** Reconstruction module width, heads, feed-forward width, layers. */
  width: number;
  heads: number;
  ffn: number;
  encoderLayers: number;
  decoderLayers: number;
  /** Neighbour-masked attention window (tokens). */
  window: number;
  /** VAE latent channels per latent cell. */
  latentChannels: number;
  vaeWidth: number;
  textTower: TextTowerConfig;
  /** Learned pseudo-name tokens per class. */
  nameTokens: number;
  /** UniAD feature jitter on every token: Gaussian noise of std jitterScale * |p| / C. */
  jitterScale: number;
  /** Extra noise scale inside noise-type pseudo-anomaly regions (the other type swaps tokens in). */
  anomalyNoiseScale: number;
  /** Up to this many rectangular pseudo-anomaly regions per training map. */
  maxRegions: number;
  /**
   * Probability that a real phase-2 sample is one of its class's painted defect views (when the job
   * made them) instead of feature-space pseudo-anomalies.
   */
  defectViewProbability: number;
  /** Probability of training phase 2 on real rather than VAE-synthesised features. */
  realProbability: number;
  phase1Epochs: number;
  phase2Epochs: number;
  /** Step budgets: training stops at whichever comes first, the epochs or these. */
  phase1MaxSteps: number;
  phase2MaxSteps: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  klWeight: number;
  alignWeight: number;
  ablation: LtadAblation;
  seed: number;
}

export type LtadPreset = import('../../../shared/training').TrainingPreset;

const COMMON = {
  grid: 14,
  inputFit: 'letterbox' as InputFit,
  reconstruction: 'memory' as const,
  memorySize: 2048,
  memoryTemperature: 0.01,
  memoryTrainable: false,
  memoryPositionWeight: 0.5,
  heads: 4,
  window: 7,
  latentChannels: 32,
  textTower: DEFAULT_TEXT_TOWER,
  nameTokens: 2,
  jitterScale: 20,
  anomalyNoiseScale: 60,
  maxRegions: 3,
  realProbability: 0.5,
  defectViewProbability: 0.5,
  batchSize: 8,
  weightDecay: 1e-4,
  klWeight: 0.01,
  alignWeight: 0.1,
  ablation: 'none' as LtadAblation,
  seed: 0,
};

/**
 * Presets sized for CPU training (docs/method.md, Optimisation, presets and ablations): UniAD used
 * width 256 with 4+4 layers; these are measured in bench:eval. The fast preset's step budgets keep
 * training on a few real classes under 5 minutes on 2 cores. The standard preset trains by epochs
 * (6 + 12) on the eight dev classes (about 2,200 training images) in under 30 minutes on 2 cores
 * (its steps on onnxruntime, docs/ARCHITECTURE.md, Training on onnxruntime); its step budgets cap
 * stations with far more images at about as long.
 */
export const LTAD_PRESETS: Record<LtadPreset, Omit<LtadConfig, 'layerChannels'>> = {
  fast: {
    ...COMMON,
    width: 96,
    ffn: 192,
    encoderLayers: 1,
    decoderLayers: 1,
    vaeWidth: 96,
    phase1Epochs: 3,
    phase2Epochs: 4,
    phase1MaxSteps: 120,
    phase2MaxSteps: 160,
    learningRate: 1e-3,
  },
  standard: {
    ...COMMON,
    width: 128,
    ffn: 256,
    encoderLayers: 2,
    decoderLayers: 2,
    vaeWidth: 128,
    phase1Epochs: 6,
    phase2Epochs: 12,
    phase1MaxSteps: 2000,
    phase2MaxSteps: 4000,
    learningRate: 1e-3,
  },
};

/** The model's input fit: what it was trained with, stretch for models saved before the choice. */
export function inputFitOf(config: Pick<LtadConfig, 'inputFit'>): InputFit {
  return config.inputFit ?? 'stretch';
}
