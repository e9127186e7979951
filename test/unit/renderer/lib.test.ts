import { describe, expect, it } from 'vitest';
import { falseRejectCount, falseRejectRate, newPartFalseRejectBound } from '../../../src/shared/falseRejectRate';
import { chunk, chunkWithin } from '../../../src/renderer/lib/chunk';
import { histogram, histogramOver, thresholdRange } from '../../../src/renderer/lib/histogram';
import { localInputToIso } from '../../../src/renderer/lib/localDateTime';
import { reasonWithoutFileName } from '../../../src/renderer/lib/refusalReason';
import { dateRangeProblem } from '../../../src/renderer/lib/dateRange';
import { clampView, MAX_ZOOM, zoomAt } from '../../../src/renderer/lib/imageView';
import { defectRatePercent, paretoDatasets, paretoOf } from '../../../src/renderer/lib/reportSeries';
import { phaseText } from '../../../src/renderer/lib/trainingPhases';
import { reviewLabel } from '../../../src/renderer/lib/reviewLabel';
import { errorsInScope, MAX_ERRORS, type ReportedError, withReportedError } from '../../../src/renderer/lib/reportedErrors';
import { retrainReason } from '../../../src/renderer/lib/retrainNeed';
import { sourceLabel } from '../../../src/renderer/lib/sourceLabel';
import { formatAuditDetails } from '../../../src/renderer/lib/auditDetails';
import { type ChoiceStorage, readChoice, writeChoice } from '../../../src/renderer/lib/storedChoice';

/** The renderer's pure helpers (the screens themselves are covered by the e2e story). */
describe('renderer helpers', () => {
  it('bins good scores so that the threshold always falls inside the chart', () => {
    const h = histogram([1, 2, 2, 3], 4, 10);
    expect(h.start).toBe(1);
    expect(h.binWidth).toBeCloseTo(9 / 4);
    expect(h.counts).toEqual([4, 0, 0, 0]);
    expect(histogram([5], 2, 5).counts.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('counts the good images a threshold would reject', () => {
    expect(falseRejectCount([1, 2, 3, 4], 2.5)).toBe(2);
    expect(falseRejectRate([1, 2, 3, 4], 2.5)).toBe(0.5);
    expect(falseRejectRate([], 1)).toBe(0);
  });

  it('bounds the false rejects on new parts honestly: five held-out images above none of which the threshold sits promise up to 1 in 6', () => {
    expect(falseRejectRate([1, 2, 3, 4, 5], 6)).toBe(0);
    expect(newPartFalseRejectBound([1, 2, 3, 4, 5], 6)).toBeCloseTo(1 / 6, 12);
    expect(newPartFalseRejectBound([1, 2, 3, 4, 5], 4.5)).toBeCloseTo(2 / 6, 12);
    expect(
      newPartFalseRejectBound(
        Array.from({ length: 99 }, (_, i) => i),
        1000,
      ),
    ).toBeCloseTo(0.01, 12);
    expect(newPartFalseRejectBound([], 1)).toBe(1);
  });

  it('sends imports in batches the API accepts', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    // By count and by bytes: large images go in smaller batches, one too large alone.
    expect(chunkWithin([10, 10, 30, 5, 50, 1], 3, 40, (n) => n)).toEqual([[10, 10], [30, 5], [50], [1]]);
  });

  it('turns a local date-time field into an ISO instant, or no bound', () => {
    expect(localInputToIso('')).toBeNull();
    expect(localInputToIso('not a date')).toBeNull();
    expect(localInputToIso('2026-03-01T14:30')).toBe(new Date('2026-03-01T14:30').toISOString());
  });
});

describe('refusal reasons', () => {
  it('drop the file name in front when it is shown beside them, and keep other reasons whole', () => {
    expect(reasonWithoutFileName('notes.txt', 'notes.txt: is not an image')).toBe('is not an image');
    expect(reasonWithoutFileName('notes.txt', 'The file is empty')).toBe('The file is empty');
    expect(reasonWithoutFileName('a.png', 'b.png: is not an image')).toBe('b.png: is not an image');
  });
});

describe('report date ranges', () => {
  it('say when From is after To, and nothing otherwise', () => {
    expect(dateRangeProblem('2026-12-02T00:00:00.000Z', '2026-12-01T00:00:00.000Z')).toMatch(/From is after To/);
    expect(dateRangeProblem('2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z')).toBeNull();
    expect(dateRangeProblem('2026-12-01T00:00:00.000Z', null)).toBeNull();
    expect(dateRangeProblem(null, null)).toBeNull();
  });
});

describe('zoom and pan', () => {
  const frame = { width: 400, height: 300 };
  it('zooms about the pointer: the point under it stays put', () => {
    const view = zoomAt({ zoom: 1, x: 0, y: 0 }, 2, { x: 100, y: 50 }, frame);
    expect(view).toEqual({ zoom: 2, x: -100, y: -50 });
    // The content point under the pointer, (100, 50), is still at frame (100, 50).
    expect(100 * view.zoom + view.x).toBe(100);
    expect(zoomAt(view, 0.5, { x: 100, y: 50 }, frame)).toEqual({ zoom: 1, x: 0, y: 0 });
  });

  it('keeps the picture covering its frame and the zoom between 1 and the maximum', () => {
    expect(clampView({ zoom: 2, x: 50, y: -1000 }, frame)).toEqual({ zoom: 2, x: 0, y: -300 });
    expect(clampView({ zoom: 100, x: 0, y: 0 }, frame).zoom).toBe(MAX_ZOOM);
    expect(clampView({ zoom: 0.2, x: -20, y: -20 }, frame)).toEqual({ zoom: 1, x: 0, y: 0 });
  });
});

describe('report series', () => {
  it('gives the share of failed parts per day', () => {
    expect(
      defectRatePercent([
        { day: '2026-11-01', inspected: 4, failed: 1 },
        { day: '2026-11-02', inspected: 0, failed: 0 },
      ]),
    ).toEqual([25, 0]);
  });

  it('orders products by failures, splits them by reason and runs the cumulative share up to 100%', () => {
    const pareto = paretoOf([
      { product: 'gear', reason: 'defect', failed: 2 },
      { product: 'plate', reason: 'defect', failed: 6 },
      { product: 'gear', reason: 'wrong-product', failed: 1 },
      { product: 'bolt', reason: 'false-reject', failed: 3 },
    ]);
    expect(pareto.products).toEqual(['plate', 'bolt', 'gear']);
    expect(pareto.byReason).toEqual({ defect: [6, 0, 2], 'wrong-product': [0, 0, 1], 'false-reject': [0, 3, 0] });
    expect(pareto.cumulativePercent).toEqual([50, 75, 100]);
    expect(paretoOf([])).toEqual({
      products: [],
      byReason: { defect: [], 'wrong-product': [], 'false-reject': [] },
      cumulativePercent: [],
    });
  });

  it('draws the cumulative line over the bars, with marked points, so that its start is not hidden by the first bar', () => {
    const datasets = paretoDatasets(paretoOf([{ product: 'gear', reason: 'defect', failed: 2 }]), { reasons: ['r', 'g', 'b'], line: 'w' });
    const line = datasets.find((d) => d.type === 'line');
    const bars = datasets.filter((d) => d.type === 'bar');
    expect(bars).toHaveLength(3);
    // Chart.js draws a lower order over a higher one; at equal orders the first dataset on top, and the line is last.
    for (const bar of bars) expect(line?.order).toBeLessThan(bar.order);
    expect(line).toMatchObject({ data: [100], yAxisID: 'cumulative' });
    expect(line?.pointRadius).toBeGreaterThan(0);
    expect(line?.clip).toBe(false); // its last point, at 100%, is not cut by the top of the plot
  });
});

describe('threshold chart span', () => {
  it('stays put while the tried threshold moves inside it, and widens only to reach a typed value outside', () => {
    const inside = thresholdRange([2, 4, 6], 5, 3);
    expect(inside).toEqual({ min: 1, max: 7 });
    expect(thresholdRange([2, 4, 6], 5, 6.5)).toEqual(inside);
    expect(thresholdRange([2, 4, 6], 5, 20)).toEqual({ min: 1, max: 20 });
    expect(thresholdRange([2, 4, 6], 5, Number.NaN)).toEqual(inside);
  });

  it('bins over a fixed span, values beyond it in the end bins', () => {
    expect(histogramOver([0, 1.5, 2.5, 9, -3], 4, 0, 4)).toEqual({ start: 0, binWidth: 1, counts: [2, 1, 1, 1] });
  });
});

describe('training phase words', () => {
  it('names each phase by what it learns, and says when the last step is done and calibration runs', () => {
    expect(phaseText({ state: 'running', phase: 'phase1', runStep: 3, runSteps: 10 })).toBe('phase 1: product names');
    expect(phaseText({ state: 'running', phase: 'phase2', runStep: 10, runSteps: 10 })).toBe('finishing: setting thresholds');
    expect(phaseText({ state: 'succeeded', phase: 'phase2', runStep: 10, runSteps: 10 })).toBe('done');
    expect(phaseText(undefined)).toBe('—');
  });
});

describe('review words', () => {
  it('says a review in words, and nothing for none', () => {
    expect([reviewLabel('false-reject'), reviewLabel('false-accept'), reviewLabel(null)]).toEqual(['false reject', 'false accept', '']);
  });
});

describe('where an error is said', () => {
  const error = (source: string, scope: string | null, message = source): ReportedError => ({ source, scope, message });

  it('keeps one message per source, the newest last, and at most a few', () => {
    const first = withReportedError([], error('a', null, 'first'));
    expect(withReportedError(first, error('a', null, 'again'))).toEqual([error('a', null, 'again')]);
    const many = Array.from({ length: MAX_ERRORS + 2 }, (_, i) => error(`s${i}`, null)).reduce(withReportedError, [] as ReportedError[]);
    expect(many.map((e) => e.source)).toEqual(Array.from({ length: MAX_ERRORS }, (_, i) => `s${i + 2}`));
  });

  it("shows each scope's messages in that scope only, and the unscoped ones in the banner under the navigation", () => {
    const errors = [error('unlock', 'panel-1'), error('info', null), error('save', 'panel-2')];
    expect(errorsInScope(errors, 'panel-1').map((e) => e.source)).toEqual(['unlock']);
    expect(errorsInScope(errors, null).map((e) => e.source)).toEqual(['info']);
    expect(errorsInScope(errors, 'panel-3')).toEqual([]);
  });
});

describe('product words', () => {
  it('says a product needs a retrain when the active model lacks it or has not learnt its newest good images', () => {
    expect(retrainReason({ inActiveModel: false, untrainedGoodImages: 12 })).toBe('not in the active model');
    expect(retrainReason({ inActiveModel: true, untrainedGoodImages: 1 })).toBe('1 good image added since the active model was trained');
    expect(retrainReason({ inActiveModel: true, untrainedGoodImages: 3 })).toBe('3 good images added since the active model was trained');
    expect(retrainReason({ inActiveModel: true, untrainedGoodImages: 0 })).toBeNull();
  });

  it("names an inspection's source as the Inspect screen does: files are 'file', not the API's 'import'", () => {
    expect([sourceLabel('import'), sourceLabel('hot-folder'), sourceLabel('camera')]).toEqual(['file', 'hot folder', 'camera']);
  });
});

describe('audit details', () => {
  it('reads as key: value pairs, nested values as compact JSON, nothing for none', () => {
    expect(formatAuditDetails({ from: 3.5, to: 4, product: 'gear', withPin: true })).toBe('from: 3.5, to: 4, product: gear, withPin: true');
    expect(formatAuditDetails({ classes: ['a', 'b'], at: null })).toBe('classes: ["a","b"], at: null');
    expect(formatAuditDetails(null)).toBe('');
    expect(formatAuditDetails({})).toBe('');
  });
});

describe('remembered choices', () => {
  function memoryStorage(): ChoiceStorage & { items: Map<string, string> } {
    const items = new Map<string, string>();
    return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
  }

  it('gives back what was chosen, or the fallback for nothing, a stale value or a storage that fails', () => {
    const storage = memoryStorage();
    const views = ['table', 'grid'] as const;
    expect(readChoice(storage, 'view', views, 'table')).toBe('table');
    writeChoice(storage, 'view', 'grid');
    expect(readChoice(storage, 'view', views, 'table')).toBe('grid');
    storage.items.set('view', 'cards'); // an older station's choice that no longer exists
    expect(readChoice(storage, 'view', views, 'table')).toBe('table');
    const failing: ChoiceStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(readChoice(failing, 'view', views, 'table')).toBe('table');
    expect(() => writeChoice(failing, 'view', 'grid')).not.toThrow();
    expect(readChoice(null, 'view', views, 'grid')).toBe('grid');
  });
});
