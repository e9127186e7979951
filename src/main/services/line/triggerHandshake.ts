import type { InspectionResult, LineHandshake } from '../../../shared/api/apiRecords';
import { NORMALISED_THRESHOLD } from '../../../shared/normalisedScore';
import { LINE_ERROR_CODES, LineError, type LineErrorName } from './lineErrors';

/** Where a trigger's image comes from and how it is inspected (the Inspect screen's camera, the hot folder). */
export interface FrameSource {
  /** Why it cannot serve a trigger for `product` now, or null. */
  problem(product: string): string | null;
  /** Takes a frame of `product` and inspects it: the recorded result. Its own failures are LineErrors. */
  inspect(product: string): Promise<InspectionResult>;
}

export interface HandshakeDeps {
  /** The active model's version and products, or null when none is active. */
  activeModel(): { version: string; products: ReadonlySet<string> } | null;
  /** The frame source the settings choose now. */
  frames(): FrameSource;
  /** A station error (image refused, queue full...) as a line error. */
  classify(error: unknown): LineError;
  onChange(state: LineHandshake): void;
  /** The PLC chose a product (kept across restarts by the caller). */
  onProductSelected(product: string): void;
  inspectionTimeoutMs: number;
  now(): number;
}

/** Why Ready is false while a result is set. */
export const WAITING_FOR_ACK = 'The last result waits for ResultAck';

/** Trigger-to-result times kept for the status's percentiles. */
const TIMINGS_KEPT = 1_000;

/** What the score outputs read while no part's result is set. */
const NO_RESULT: Pick<LineHandshake, 'score' | 'threshold' | 'rawScore' | 'rawThreshold'> = {
  score: -1,
  threshold: NORMALISED_THRESHOLD,
  rawScore: -1,
  rawThreshold: -1,
};

/**
 * The PLC handshake as a state machine (docs/line-integration.md): Ready -> Trigger -> Busy ->
 * ResultReady (Pass, Fail or Error) -> ResultAck -> Ready. A trigger while Busy, or before its
 * result is acknowledged, is refused at once and changes nothing: the queue never grows and the
 * result waiting to be read stays intact. A trigger while not Ready (no model, no product, no frame
 * source) ends at once with ResultReady and Error set, so the PLC never waits on a silent timeout.
 * Transport-free: the OPC UA server reads and drives it; tests drive it directly.
 */
export class TriggerHandshake {
  private state: LineHandshake;
  private readonly timings: number[] = [];
  private triggers = 0;
  private refused = 0;
  /** The first state is read, not announced. */
  private announcing = false;

  constructor(
    private readonly deps: HandshakeDeps,
    product: string | null,
  ) {
    this.state = {
      ready: false,
      readyProblem: '',
      busy: false,
      resultReady: false,
      pass: false,
      fail: false,
      error: false,
      ...NO_RESULT,
      product: product ?? '',
      modelVersion: '',
      resultCounter: 0,
      inspectionId: 0,
      errorCode: 0,
      lastError: '',
      triggerToResultMs: 0,
    };
    this.refresh();
    this.announcing = true;
  }

  snapshot(): LineHandshake {
    return { ...this.state };
  }

  counts(): { triggers: number; refused: number; timings: readonly number[] } {
    return { triggers: this.triggers, refused: this.refused, timings: this.timings };
  }

  /**
   * A trigger (the method or the Trigger variable's rising edge). Answers at once: 'none' when it
   * started (the result follows on ResultReady), or why it did not. `done` settles when its result is set.
   */
  trigger(): { answer: LineErrorName; done: Promise<void> } {
    if (this.state.busy || this.state.resultReady) {
      this.refused++;
      return { answer: this.state.busy ? 'busy' : 'notAcknowledged', done: Promise.resolve() };
    }
    this.triggers++;
    const started = this.deps.now();
    const problem = this.problem(this.state.product);
    if (problem) {
      this.finish(started, problem);
      return { answer: problem.code, done: Promise.resolve() };
    }
    this.set({ busy: true, ready: false, pass: false, fail: false, error: false });
    const product = this.state.product;
    const done = this.inspectInTime(product).then(
      (result) => this.finish(started, result),
      (error: unknown) => this.finish(started, error instanceof LineError ? error : this.deps.classify(error)),
    );
    return { answer: 'none', done };
  }

  /** ResultAck: clears ResultReady and the verdict; the station is Ready again. */
  acknowledge(): LineErrorName {
    this.refresh(this.state.resultReady ? { resultReady: false, pass: false, fail: false, error: false } : {});
    return 'none';
  }

  /** The PLC switches the recipe; refused while a trigger runs or when the active model lacks it. */
  selectProduct(product: string): LineErrorName {
    if (this.state.busy) return 'busy';
    const model = this.deps.activeModel();
    if (!model) return 'noModel';
    if (!model.products.has(product)) return 'unknownProduct';
    if (product !== this.state.product) this.deps.onProductSelected(product);
    this.refresh({ product });
    return 'none';
  }

  /**
   * Re-reads the model and the frame source (after a promote, a screen's offer, a settings change),
   * with `changes` applied first: one announced state.
   */
  refresh(changes: Partial<LineHandshake> = {}): void {
    const next = { ...this.state, ...changes };
    const waiting = next.busy || next.resultReady;
    const problem = waiting ? null : this.problem(next.product);
    this.set({
      ...changes,
      modelVersion: this.deps.activeModel()?.version ?? '',
      ready: !waiting && problem === null,
      readyProblem: next.resultReady ? WAITING_FOR_ACK : (problem?.message ?? ''),
    });
  }

  private problem(product: string): LineError | null {
    const model = this.deps.activeModel();
    if (!model) return new LineError('noModel', 'No model is active: train one and promote it');
    if (!product) return new LineError('noProduct', 'No product is selected: write Product or call SelectProduct');
    if (!model.products.has(product))
      return new LineError('unknownProduct', `The active model cannot inspect "${product}": select another product or retrain`);
    const frames = this.deps.frames().problem(product);
    return frames ? new LineError('noFrameSource', frames) : null;
  }

  private inspectInTime(product: string): Promise<InspectionResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new LineError('inspectionTimeout', `The inspection took longer than ${this.deps.inspectionTimeoutMs / 1000} s`)),
        this.deps.inspectionTimeoutMs,
      );
    });
    return Promise.race([this.deps.frames().inspect(product), timeout]).finally(() => clearTimeout(timer));
  }

  private finish(started: number, outcome: InspectionResult | LineError): void {
    const ms = this.deps.now() - started;
    // Only verdicts size a cycle: an error answered at once would make the line look fast.
    if (!(outcome instanceof LineError)) {
      this.timings.push(ms);
      if (this.timings.length > TIMINGS_KEPT) this.timings.shift();
    }
    const common = {
      busy: false,
      ready: false,
      readyProblem: WAITING_FOR_ACK,
      resultReady: true,
      triggerToResultMs: ms,
      resultCounter: this.state.resultCounter + 1,
    };
    if (outcome instanceof LineError)
      // No part was judged: no score or record of the part before is left to be read as this one's.
      this.set({
        ...common,
        ...NO_RESULT,
        inspectionId: 0,
        pass: false,
        fail: false,
        error: true,
        errorCode: LINE_ERROR_CODES[outcome.code],
        lastError: outcome.message,
      });
    else
      this.set({
        ...common,
        pass: outcome.verdict === 'pass',
        fail: outcome.verdict === 'fail',
        error: false,
        errorCode: 0,
        lastError: '',
        score: outcome.normalisedScore ?? -1,
        threshold: NORMALISED_THRESHOLD,
        rawScore: outcome.score,
        rawThreshold: outcome.threshold,
        inspectionId: outcome.id,
        modelVersion: outcome.modelVersion,
      });
  }

  private set(changes: Partial<LineHandshake>): void {
    const next = { ...this.state, ...changes };
    const changed = (Object.keys(changes) as (keyof LineHandshake)[]).some((k) => next[k] !== this.state[k]);
    this.state = next;
    if (changed && this.announcing) this.deps.onChange(this.snapshot());
  }
}
