import { describe, expect, it } from 'vitest';
import type { InspectionResult, LineHandshake } from '../../../../src/shared/api/apiRecords';
import { LINE_ERROR_CODES, LineError } from '../../../../src/main/services/line/lineErrors';
import {
  type FrameSource,
  type HandshakeDeps,
  TriggerHandshake,
  WAITING_FOR_ACK,
} from '../../../../src/main/services/line/triggerHandshake';

const result = (verdict: 'pass' | 'fail', id = 7): InspectionResult =>
  ({
    id,
    verdict,
    score: verdict === 'fail' ? 9 : 2,
    threshold: 5,
    normalisedScore: verdict === 'fail' ? 0.8 : 0.2,
    modelVersion: 'm-1',
  }) as InspectionResult;

/** A handshake with a frame source the test settles by hand, and every state it announced. */
function harness(options: { model?: boolean; products?: string[]; frames?: string | null } = {}) {
  const announced: LineHandshake[] = [];
  const selected: string[] = [];
  const pending: { product: string; resolve(r: InspectionResult): void; reject(e: unknown): void }[] = [];
  let model = options.model ?? true;
  let framesProblem: string | null = options.frames ?? null;
  let clock = 0;
  const frames: FrameSource = {
    problem: () => framesProblem,
    inspect: (product) => new Promise((resolve, reject) => pending.push({ product, resolve, reject })),
  };
  const deps: HandshakeDeps = {
    activeModel: () => (model ? { version: 'm-1', products: new Set(options.products ?? ['gear', 'bracket']) } : null),
    frames: () => frames,
    classify: (error) => new LineError('inspectionFailed', String(error)),
    onChange: (state) => announced.push(state),
    onProductSelected: (product) => selected.push(product),
    inspectionTimeoutMs: 1_000,
    now: () => clock,
  };
  const handshake = new TriggerHandshake(deps, 'gear');
  return {
    handshake,
    announced,
    selected,
    pending,
    tick: (ms: number) => {
      clock += ms;
    },
    setModel: (on: boolean) => {
      model = on;
    },
    setFrames: (problem: string | null) => {
      framesProblem = problem;
    },
  };
}

describe('the line trigger handshake', () => {
  it('goes Ready -> Busy -> ResultReady with the verdict -> Ready again after ResultAck', async () => {
    const h = harness();
    expect(h.handshake.snapshot()).toMatchObject({ ready: true, busy: false, resultReady: false, product: 'gear', modelVersion: 'm-1' });
    const { answer, done } = h.handshake.trigger();
    expect(answer).toBe('none');
    expect(h.handshake.snapshot()).toMatchObject({ ready: false, busy: true, resultReady: false, pass: false, fail: false });
    expect(h.pending.map((p) => p.product)).toEqual(['gear']);
    h.tick(42);
    h.pending[0]?.resolve(result('fail', 11));
    await done;
    expect(h.handshake.snapshot()).toMatchObject({
      ready: false,
      busy: false,
      resultReady: true,
      pass: false,
      fail: true,
      error: false,
      score: 0.8,
      threshold: 0.5,
      rawScore: 9,
      rawThreshold: 5,
      inspectionId: 11,
      resultCounter: 1,
      errorCode: 0,
      triggerToResultMs: 42,
    });
    expect(h.handshake.snapshot().readyProblem).toBe(WAITING_FOR_ACK);
    expect(h.handshake.acknowledge()).toBe('none');
    expect(h.handshake.snapshot()).toMatchObject({
      ready: true,
      readyProblem: '',
      resultReady: false,
      pass: false,
      fail: false,
      resultCounter: 1,
    });
    // The PLC saw Busy rise before ResultReady: the announced states keep the order.
    const order = h.announced.map((s) => (s.busy ? 'busy' : s.resultReady ? 'result' : s.ready ? 'ready' : 'other'));
    expect(order).toEqual(['busy', 'result', 'ready']);
  });

  it('refuses a trigger while busy and one before the result is acknowledged, and keeps the result intact', async () => {
    const h = harness();
    const first = h.handshake.trigger();
    expect(h.handshake.trigger().answer).toBe('busy');
    expect(h.pending).toHaveLength(1); // no queue grows behind the running one
    h.pending[0]?.resolve(result('pass'));
    await first.done;
    expect(h.handshake.trigger().answer).toBe('notAcknowledged');
    expect(h.handshake.snapshot()).toMatchObject({ resultReady: true, pass: true, resultCounter: 1 });
    expect(h.handshake.counts()).toMatchObject({ triggers: 1, refused: 2 });
  });

  it('answers a trigger with no model, no product known to it or no frame source at once with Error and a code', () => {
    const h = harness({ model: false });
    expect(h.handshake.snapshot()).toMatchObject({ ready: false, readyProblem: expect.stringMatching(/No model is active/) });
    expect(h.handshake.trigger().answer).toBe('noModel');
    expect(h.handshake.snapshot()).toMatchObject({
      resultReady: true,
      error: true,
      pass: false,
      fail: false,
      errorCode: LINE_ERROR_CODES.noModel,
      lastError: expect.stringMatching(/No model is active/),
    });
    expect(h.pending).toHaveLength(0);
    h.handshake.acknowledge();
    h.setModel(true);
    h.setFrames('No Inspect screen answers line triggers');
    h.handshake.refresh();
    expect(h.handshake.snapshot()).toMatchObject({ ready: false, readyProblem: 'No Inspect screen answers line triggers' });
    expect(h.handshake.trigger().answer).toBe('noFrameSource');
    expect(h.handshake.snapshot().errorCode).toBe(LINE_ERROR_CODES.noFrameSource);
    h.handshake.acknowledge();
    h.setFrames(null);
    h.handshake.refresh();
    expect(h.handshake.snapshot()).toMatchObject({ ready: true, readyProblem: '' });
  });

  it('selects a product the active model knows, refuses others and a change while busy', async () => {
    const h = harness();
    expect(h.handshake.selectProduct('bracket')).toBe('none');
    expect(h.selected).toEqual(['bracket']);
    expect(h.handshake.selectProduct('bottle')).toBe('unknownProduct');
    expect(h.handshake.snapshot().product).toBe('bracket');
    const run = h.handshake.trigger();
    expect(h.handshake.selectProduct('gear')).toBe('busy');
    expect(h.pending[0]?.product).toBe('bracket');
    h.pending[0]?.resolve(result('pass'));
    await run.done;
  });

  it('turns a failed inspection into Error with its code, and a frame source error keeps its own code', async () => {
    const h = harness();
    const first = h.handshake.trigger();
    h.pending[0]?.reject(new LineError('frameTimeout', 'The Inspect screen sent no frame within 3 s'));
    await first.done;
    expect(h.handshake.snapshot()).toMatchObject({
      error: true,
      errorCode: LINE_ERROR_CODES.frameTimeout,
      lastError: 'The Inspect screen sent no frame within 3 s',
    });
    h.handshake.acknowledge();
    const second = h.handshake.trigger();
    h.pending[1]?.reject(new Error('disk on fire'));
    await second.done;
    expect(h.handshake.snapshot()).toMatchObject({ error: true, errorCode: LINE_ERROR_CODES.inspectionFailed, resultCounter: 2 });
  });

  it("leaves no earlier part's score or record on an error result, and times only verdicts", async () => {
    const h = harness();
    const first = h.handshake.trigger();
    h.tick(40);
    h.pending[0]?.resolve(result('fail', 11));
    await first.done;
    h.handshake.acknowledge();
    const second = h.handshake.trigger();
    h.pending[1]?.reject(new LineError('frameTimeout', 'no frame'));
    await second.done;
    expect(h.handshake.snapshot()).toMatchObject({ error: true, score: -1, rawScore: -1, inspectionId: 0 });
    h.handshake.acknowledge();
    h.setModel(false);
    h.handshake.trigger(); // answered at once with no model
    expect(h.handshake.counts().timings).toEqual([40]);
  });

  it('ends an inspection that outlasts the inspection timeout with its error', async () => {
    const h = harness();
    const run = h.handshake.trigger(); // never settled by the frame source
    await run.done;
    expect(h.handshake.snapshot()).toMatchObject({ busy: false, error: true, errorCode: LINE_ERROR_CODES.inspectionTimeout });
  });
});
