import { describe, expect, it } from 'vitest';
import { aupro, proCurve } from '../../../src/main/engine/metrics/aupro';
import { auroc, aurocFromSorted } from '../../../src/main/engine/metrics/auroc';
import { summariseClasses } from '../../../src/main/engine/metrics/classSummary';
import { PixelAurocAccumulator } from '../../../src/main/engine/metrics/pixelAuroc';
import { labelComponents } from '../../../src/main/engine/regions/connectedComponents';

describe('auroc', () => {
  it('matches hand-computed values', () => {
    // Pairs (pos, neg): (0.35,0.1)=1 (0.35,0.4)=0 (0.8,0.1)=1 (0.8,0.4)=1 -> 3/4
    expect(auroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auroc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(auroc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
  });

  it('counts ties as one half exactly', () => {
    // pos {0.5, 0.5}, neg {0.5, 0.2}: 0.5 + 1 + 0.5 + 1 = 3 of 4 pairs
    expect(auroc([0.5, 0.5, 0.5, 0.2], [1, 1, 0, 0])).toBe(0.75);
    expect(auroc([7, 7, 7, 7, 7], [1, 0, 1, 0, 0])).toBe(0.5);
    // pos {1,2,2,3}, neg {2,2,0}: wins per pos: 1->1, 2->1+1, 2->1+1, 3->3  => 8 of 12
    expect(auroc([1, 2, 2, 3, 2, 2, 0], [1, 1, 1, 1, 0, 0, 0])).toBeCloseTo(8 / 12, 12);
  });

  it('refuses a single class and NaN scores', () => {
    expect(() => auroc([0.1, 0.2], [0, 0])).toThrow(/both classes/);
    expect(() => auroc([Number.NaN, 0.2], [0, 1])).toThrow(/NaN/);
    expect(() => aurocFromSorted(new Float64Array(), new Float64Array([1]))).toThrow();
  });
});

describe('pixel AUROC', () => {
  it('equals the flat AUROC over all pixels of all images', () => {
    const acc = new PixelAurocAccumulator();
    acc.add([0.9, 0.1, 0.4, 0.4], [1, 0, 0, 1]);
    acc.add([0.2, 0.3], null);
    expect(acc.pixelCount).toBe(6);
    expect(acc.result()).toBeCloseTo(auroc([0.9, 0.1, 0.4, 0.4, 0.2, 0.3], [1, 0, 0, 1, 0, 0]), 12);
    // pos {0.9, 0.4} vs neg {0.1, 0.4, 0.2, 0.3}: 4 + (1 + 0.5 + 1 + 1) = 7.5 of 8
    expect(acc.result()).toBeCloseTo(7.5 / 8, 12);
  });

  it('handles more pixels than one storage chunk', () => {
    const acc = new PixelAurocAccumulator();
    const n = (1 << 20) + 5000;
    const scores = new Float32Array(n);
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      mask[i] = i % 10 === 0 ? 1 : 0;
      scores[i] = mask[i] ? 0.75 : (i % 100) / 100; // defects tie with normals at exactly 0.75
    }
    acc.add(scores, mask);
    const negatives = n - Math.ceil(n / 10);
    let below = 0;
    let equal = 0;
    for (let i = 0; i < n; i++) {
      if (mask[i]) continue;
      if ((scores[i] as number) < 0.75) below++;
      else if (scores[i] === 0.75) equal++;
    }
    expect(acc.result()).toBeCloseTo((below + 0.5 * equal) / negatives, 10);
  });

  it('is null without defect pixels, and refuses more pixels than its limit', () => {
    const acc = new PixelAurocAccumulator(10);
    acc.add([0.1, 0.2], null);
    expect(acc.result()).toBeNull();
    expect(() => acc.add(new Float32Array(9), null)).toThrow(/limited to 10 pixels/);
    expect(() => acc.add([1, 2], [1])).toThrow(/mask has 1/);
  });
});

describe('connected components', () => {
  it('separates diagonal neighbours with 4-connectivity and joins them with 8', () => {
    const mask = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    expect(labelComponents(mask, 3, 3, 4).count).toBe(3);
    const eight = labelComponents(mask, 3, 3, 8);
    expect(eight.count).toBe(1);
    expect(eight.sizes[1]).toBe(3);
  });

  it('labels each pixel with its component and counts sizes', () => {
    const mask = [1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1, 1];
    const { labels, count, sizes } = labelComponents(mask, 4, 3, 4);
    expect(count).toBe(2);
    expect([...labels]).toEqual([1, 1, 0, 2, 0, 0, 0, 2, 0, 0, 2, 2]);
    expect(sizes).toEqual([0, 2, 4]);
  });
});

describe('AUPRO', () => {
  it('is 1 for a perfect map and 0.5 when half of the region is missed', () => {
    expect(aupro([{ scores: [0.9, 0.8, 0.1, 0.2], mask: [1, 1, 0, 0], width: 4, height: 1 }])).toBeCloseTo(1, 12);
    // Region {0.1, 0.9}, normals {0.8, 0.2}: PRO stays 0.5 until FPR reaches 1.
    expect(aupro([{ scores: [0.1, 0.9, 0.8, 0.2], mask: [1, 1, 0, 0], width: 4, height: 1 }])).toBeCloseTo(0.5, 12);
  });

  it('weights regions equally, counts good images in the FPR and interpolates at the limit', () => {
    const images = [
      { scores: [0.9, 0.0, 0.9, 0.1, 0.1], mask: [1, 0, 1, 1, 1], width: 5, height: 1 },
      { scores: [0.5, 0.05, 0.05, 0.05], mask: null, width: 4, height: 1 },
    ];
    // Curve: (0, 2/3) at 0.9, (0.2, 2/3) at 0.5, (0.2, 1) at 0.1, (0.8, 1) at 0.05, (1, 1) at 0.
    const curve = proCurve(images);
    expect(curve.map((p) => [p.fpr, Number(p.pro.toFixed(6))])).toEqual([
      [0, 0],
      [0, 0.666667],
      [0.2, 0.666667],
      [0.2, 1],
      [0.8, 1],
      [1, 1],
    ]);
    // Area to 0.3: 0.2 * 2/3 + 0.1 * 1 = 0.2333..., divided by 0.3.
    expect(aupro(images)).toBeCloseTo((0.2 * (2 / 3) + 0.1) / 0.3, 12);
  });

  it('needs a defect region', () => {
    expect(() => aupro([{ scores: [0.1], mask: null, width: 1, height: 1 }])).toThrow(/defect region/);
  });
});

describe('class summary', () => {
  it('averages over all classes and over the halves with the most and fewest training images', () => {
    const summary = summariseClasses({
      big: { nTrain: 100, imageAuroc: 0.9, pixelAuroc: 0.95, aupro: null },
      mid: { nTrain: 50, imageAuroc: 0.8, pixelAuroc: null, aupro: null },
      tail: { nTrain: 10, imageAuroc: 0.6, pixelAuroc: 0.85, aupro: null },
    });
    expect(summary.highClasses).toEqual(['big', 'mid']);
    expect(summary.lowClasses).toEqual(['mid', 'tail']);
    expect(summary.avg.image).toBeCloseTo((0.9 + 0.8 + 0.6) / 3, 12);
    expect(summary.high.image).toBeCloseTo(0.85, 12);
    expect(summary.low.image).toBeCloseTo(0.7, 12);
    expect(summary.avg.pixel).toBeCloseTo(0.9, 12); // the class without masks is left out
    expect(summary.low.pixel).toBeCloseTo(0.85, 12);
    expect(summary.avg.aupro).toBeNull();
  });

  it('splits an even number of classes into disjoint halves', () => {
    const m = (nTrain: number, imageAuroc: number) => ({ nTrain, imageAuroc, pixelAuroc: null, aupro: null });
    const summary = summariseClasses({ a: m(5, 1), b: m(20, 0.5), c: m(20, 0.7), d: m(1, 0.9) });
    expect(summary.highClasses).toEqual(['b', 'c']);
    expect(summary.lowClasses).toEqual(['a', 'd']);
    expect(summary.low.image).toBeCloseTo(0.95, 12);
  });
});
