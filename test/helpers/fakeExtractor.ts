import type { FeatureExtractor, TapFeatures } from '../../src/main/engine/backbone/featureExtractor';
import { TINY_LAYER_CHANNELS } from './tinyLtad';

/** The stand-in's input side: small, so that a test image decodes and "extracts" in microseconds. */
export const FAKE_EXTRACTOR_INPUT = 32;
/** Each tap's grid: the first tap 8 x 8, the second 4 x 4 (buildTokenMaps resizes both to the model's grid). */
const TAP_GRIDS = [8, 4];

/**
 * A stand-in image encoder for the tiny LTAD network (test/helpers/tinyLtad.ts): two taps of 8 and
 * 12 channels, no weights. Channel k of a cell is sin(k) * (1 + 4 d), where d is how far the
 * cell's pixels lie from mid grey (mean |v - 0.5|). A plain grey image gives sin(k), the tokens of
 * the tiny set's first class; a bright or dark patch gives tokens like its third class's in that
 * place, so a model trained on the tiny set sees it as a defect of the first class.
 */
export function fakeExtractor(): FeatureExtractor & { calls: number; disposed: boolean } {
  const size = FAKE_EXTRACTOR_INPUT;
  const state = { calls: 0, disposed: false };
  return {
    backbone: 'mobilenetv2',
    runtime: 'onnx',
    runtimeDetail: 'fake extractor (tests)',
    inputSize: size,
    taps: ['a', 'b'],
    get calls() {
      return state.calls;
    },
    get disposed() {
      return state.disposed;
    },
    async extract(batch: Float32Array, batchSize: number): Promise<TapFeatures[]> {
      state.calls++;
      let first = 0;
      return TINY_LAYER_CHANNELS.map((channels, t) => {
        const grid = TAP_GRIDS[t] as number;
        const cell = size / grid;
        const data = new Float32Array(batchSize * grid * grid * channels);
        for (let n = 0; n < batchSize; n++) {
          for (let gy = 0; gy < grid; gy++) {
            for (let gx = 0; gx < grid; gx++) {
              let d = 0;
              for (let y = gy * cell; y < (gy + 1) * cell; y++) {
                for (let x = gx * cell; x < (gx + 1) * cell; x++) {
                  for (let c = 0; c < 3; c++) d += Math.abs((batch[((n * size + y) * size + x) * 3 + c] as number) - 0.5);
                }
              }
              d /= cell * cell * 3;
              const at = ((n * grid + gy) * grid + gx) * channels;
              for (let k = 0; k < channels; k++) data[at + k] = Math.sin(first + k) * (1 + 4 * d);
            }
          }
        }
        first += channels;
        return { name: ['a', 'b'][t] as string, shape: [batchSize, grid, grid, channels], data };
      });
    },
    async dispose() {
      state.disposed = true;
    },
  };
}
