import { describe, expect, it } from 'vitest';
import { FULL_FRAME } from '../../../../src/main/engine/features/inputFrame';
import { judgeInspection, type JudgementInput } from '../../../../src/main/engine/inspection/inspectionJudgement';

const GRID = 14;
// Two products whose prototypes point along different axes.
const prototypes = { classNames: ['gear', 'plate'], vectors: Float32Array.of(1, 0, 0, 1), dim: 2, minSimilarity: [0.9, 0.9] };

function input(overrides: Partial<JudgementInput> = {}): JudgementInput {
  return {
    tokenScores: new Float32Array(GRID * GRID),
    grid: GRID,
    map: { size: 56, blurSigma: 0, scoreWindow: 1 },
    frame: FULL_FRAME,
    threshold: 1,
    product: 'gear',
    prototypes,
    pooled: Float32Array.of(1, 0.05),
    sourceSize: { width: 560, height: 280 },
    ...overrides,
  };
}

describe('judgeInspection', () => {
  it('passes a part whose scores stay under the threshold, with no regions', () => {
    const j = judgeInspection(input());
    expect(j.verdict).toBe('pass');
    expect(j.imageScore).toBeLessThan(1);
    expect(j.regions).toEqual([]);
    expect(j.prototypeCheck.warning).toBe(false);
    expect(j.map.width).toBe(56);
  });

  it('fails a part with a hot spot and reports the spot in the source image pixels', () => {
    const scores = new Float32Array(GRID * GRID);
    for (let y = 2; y < 4; y++) for (let x = 10; x < 12; x++) scores[y * GRID + x] = 5; // columns 10-11 of 14, rows 2-3
    const j = judgeInspection(input({ tokenScores: scores }));
    expect(j.verdict).toBe('fail');
    expect(j.imageScore).toBeGreaterThan(1);
    expect(j.regions.length).toBe(1);
    const r = j.regions[0];
    // 560 x 280 source: the spot lies at x 400-480, y 40-80 (within the map's resampling).
    if (!r) throw new Error('no region');
    expect(r.x).toBeGreaterThan(360);
    expect(r.x + r.width).toBeLessThan(520);
    expect(r.y).toBeGreaterThan(20);
    expect(r.y + r.height).toBeLessThan(100);
    expect(r.peakScore).toBeCloseTo(5, 3);
  });

  it('never passes a part that looks like another product, whatever its score', () => {
    const j = judgeInspection(input({ pooled: Float32Array.of(0.05, 1) }));
    expect(j.prototypeCheck).toMatchObject({ nearestClass: 'plate', warning: true });
    expect(j.verdict).toBe('fail');
    expect(j.regions).toEqual([]); // nothing above the threshold to outline
  });

  it('takes a part far outside its product for another product where it scores low or is anomalous almost everywhere', () => {
    // Nearest to gear of the two, yet far below gear's least typical training image (0.9).
    const outside = Float32Array.of(0.45, -1);
    const everywhere = judgeInspection(input({ pooled: outside, tokenScores: new Float32Array(GRID * GRID).fill(5) }));
    expect(everywhere.prototypeCheck).toMatchObject({ nearestClass: 'gear', farOutside: true, warning: true });
    // The same pooled token with a local defect: a (large) defect on a gear, not another product.
    const local = new Float32Array(GRID * GRID);
    for (let y = 0; y < 7; y++) for (let x = 0; x < 7; x++) local[y * GRID + x] = 5;
    const defect = judgeInspection(input({ pooled: outside, tokenScores: local }));
    expect(defect.prototypeCheck).toMatchObject({ farOutside: true, warning: false });
    expect(defect.verdict).toBe('fail');
    // Scoring low against the selected product is no reason to pass a part far outside it.
    const quiet = judgeInspection(input({ pooled: outside }));
    expect(quiet.prototypeCheck).toMatchObject({ farOutside: true, warning: true });
    expect(quiet.verdict).toBe('fail');
  });
});
