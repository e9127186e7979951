import { beforeAll, describe, expect, it } from 'vitest';
import { corruptTokens, donorRows, planSampleAnomalies } from '../../../../src/main/engine/ltad/pseudoAnomalies';
import { seededRandom } from '../../../../src/main/engine/seededRandom';
import { initTfjs, tf } from '../../../../src/main/engine/tfjsRuntime';

beforeAll(async () => {
  await initTfjs();
});

describe('per-sample pseudo-anomalies', () => {
  it('labels every corrupted token, and takes swapped tokens from its donor row only', () => {
    const random = seededRandom(5);
    let swaps = 0;
    for (let n = 0; n < 200; n++) {
      const plan = planSampleAnomalies(14, 3, random, () => 7);
      for (let t = 0; t < 196; t++) {
        const changed = plan.sources[t] !== t || plan.noisy[t] === 1 || (plan.gain[t] as number) < 1;
        expect(changed ? 1 : 0).toBe(plan.labels[t]);
        if ((plan.sources[t] as number) >= 196) swaps++;
      }
      expect(plan.donorRow === 7).toBe([...plan.sources].some((s) => s >= 196));
    }
    expect(swaps).toBeGreaterThan(0);
    // Without a donor (a training set of one image), swaps become noise.
    const alone = planSampleAnomalies(14, 3, seededRandom(5), () => -1);
    expect(alone.donorRow).toBe(-1);
    expect([...alone.sources].every((s, t) => s === t)).toBe(true);
  });

  it('gives each sample the same corruption whichever batch it is in', () => {
    const random = seededRandom(9);
    const plans = [0, 1, 2].map((row) => planSampleAnomalies(4, 2, random, () => (row + 1) % 3));
    const maps = tf.tidy(() => tf.randomNormal([3, 16, 5], 0, 1, 'float32', 4));
    const options = { jitterScale: 1, anomalyNoiseScale: 3 };
    const donorsOf = (subset: number[]) => {
      const rows = donorRows(subset.map((i) => plans[i] as (typeof plans)[number]));
      return rows.length > 0 ? tf.gather(maps, rows) : undefined;
    };
    const whole = corruptTokens(maps, donorsOf([0, 1, 2]), plans, { ...options, seeds: [10, 11, 12] });
    const alone = corruptTokens(tf.gather(maps, [2]), donorsOf([2]), [plans[2] as (typeof plans)[number]], { ...options, seeds: [12] });
    const [a, b] = [whole.slice([2, 0, 0], [1, -1, -1]).dataSync(), alone.dataSync()];
    b.forEach((v, i) => expect(v).toBeCloseTo(a[i] as number, 5));
    tf.dispose([maps, whole, alone]);
  });
});
