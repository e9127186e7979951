import { expect } from 'vitest';
import { LTAD_PRESETS, type LtadConfig } from '../../src/main/engine/ltad/ltadConfig';
import type { TrainingOutcome } from '../../src/main/engine/ltad/ltadTrainer';
import { memoryRowsSource, type TrainingRows, type TrainingRowsSource } from '../../src/main/engine/ltad/trainingRows';
import { openTrainingRows } from '../../src/main/engineAdapters/openTrainingRows';
import { seededRandom } from '../../src/main/engine/seededRandom';
import { defectViewPlan, planSampleAnomalies } from '../../src/main/engine/ltad/pseudoAnomalies';
import type { StepRequest } from '../../src/main/engine/ltad/trainingSteps';

/** An LTAD network small enough to train in tests in well under a second. */
export const TINY_LAYER_CHANNELS = [8, 12];
export const TINY_LTAD: LtadConfig = {
  ...LTAD_PRESETS.fast,
  layerChannels: TINY_LAYER_CHANNELS,
  width: 16,
  ffn: 32,
  heads: 2,
  vaeWidth: 16,
  latentChannels: 4,
  batchSize: 4,
  phase1Epochs: 2,
  phase2Epochs: 3,
  textTower: { width: 16, layers: 1, heads: 2, outputDim: 16, seed: 5 },
  seed: 3,
};
const TINY_DIM = TINY_LAYER_CHANNELS.reduce((a, b) => a + b, 0);

/** Random standardised token maps per class; by default three classes of 10 / 5 / 2 images, a small long tail. */
export function tinyTrainingTokens(counts = [10, 5, 2]): { tokens: Float32Array; classIndex: Int32Array } {
  const count = counts.reduce((a, b) => a + b, 0);
  const random = seededRandom(1);
  const classIndex = new Int32Array(counts.flatMap((n, c) => Array(n).fill(c)));
  const tokens = Float32Array.from(
    { length: count * 196 * TINY_DIM },
    (_, i) => Math.sin(i % TINY_DIM) * (1 + (classIndex[Math.floor(i / (196 * TINY_DIM))] as number)) + (random() - 0.5) * 0.2,
  );
  return { tokens, classIndex };
}

/**
 * The tiny rows with two painted defect views per class: a copy of one of its rows with a 3 x 3
 * block of tokens shifted, labelled there.
 */
export function tinyRowsSource(counts?: number[]): TrainingRowsSource {
  const { tokens, classIndex } = tinyTrainingTokens(counts);
  const size = 196 * TINY_DIM;
  const cleanRow = Int32Array.from([...new Set(classIndex)].flatMap((c) => [classIndex.indexOf(c), classIndex.lastIndexOf(c)]));
  const data = new Float32Array(cleanRow.length * size);
  const labels = new Float32Array(cleanRow.length * 196);
  cleanRow.forEach((row, v) => {
    data.set(tokens.subarray(row * size, (row + 1) * size), v * size);
    for (let y = 2; y < 5; y++)
      for (let x = 3 + v; x < 6 + v; x++) {
        const t = y * 14 + x;
        labels[v * 196 + t] = 1;
        for (let k = 0; k < TINY_DIM; k++) data[v * size + t * TINY_DIM + k] = (data[v * size + t * TINY_DIM + k] as number) + 3;
      }
  });
  return memoryRowsSource(tokens, classIndex, 196, TINY_DIM, {
    data,
    cleanRow,
    classIndex: Int32Array.from(cleanRow, (r) => classIndex[r] as number),
    labels,
  });
}

/** Names of the reconstruction module's weights that every test compares, per recipe. */
export const RECONSTRUCTION_WEIGHTS = {
  memory: ['rm/memory', 'rm/memory_channel_scale'],
  transformer: ['rm/out/w', 'rm/enc0/attn/q/w'],
} as const;

export function tinyTrainingRows(counts?: number[]): TrainingRows {
  return openTrainingRows(tinyRowsSource(counts));
}

/**
 * Two trainings that should agree up to float rounding: the same final losses (within 0.2%) and
 * weights within 5e-4. Adam turns rounding differences of near-zero gradients into steps of about
 * the learning rate, so they agree closely but not bit for bit.
 */
export function expectSameTraining(
  a: { outcome: TrainingOutcome; weights: Float32Array[] },
  b: { outcome: TrainingOutcome; weights: Float32Array[] },
): void {
  for (const phase of ['phase1', 'phase2'] as const) {
    for (const [term, value] of Object.entries(a.outcome.finalLosses[phase])) {
      expect(Math.abs((b.outcome.finalLosses[phase][term] as number) - value)).toBeLessThan(2e-3 * Math.max(1, Math.abs(value)));
    }
  }
  expect(b.weights).toHaveLength(a.weights.length);
  a.weights.forEach((w, i) => {
    const other = b.weights[i] as Float32Array;
    const worst = w.reduce((m: number, v: number, k: number) => Math.max(m, Math.abs(v - (other[k] as number))), 0);
    expect(worst).toBeLessThan(5e-4);
  });
}

/** A phase-2 step of five samples over the tiny rows: real and synthetic ones, and one painted defect view. */
export function tinyPhase2Request(rows: TrainingRows, grid: number): StepRequest {
  const random = seededRandom(11);
  return {
    phase: 'phase2',
    items: Array.from({ length: 5 }, (_, i) => {
      const row = Math.floor(random() * rows.count);
      const base = { row, classIndex: rows.classIndex[row] as number, real: i % 2 === 0, latentSeed: 100 + i, noiseSeed: 200 + i };
      // One painted defect view among the samples, so that views split over workers too.
      if (i === 2)
        return {
          ...base,
          real: true,
          row: rows.views?.cleanRow[1] as number,
          classIndex: rows.views?.classIndex[1] as number,
          view: 1,
          anomaly: defectViewPlan(rows, 1),
        };
      return { ...base, anomaly: planSampleAnomalies(grid, 3, random, () => (row + 1) % rows.count) };
    }),
  };
}
