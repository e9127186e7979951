import { randomUUID } from 'node:crypto';
import { DomainError } from '../../domainError';
import { LineError } from './lineErrors';

/** Said to the PLC (ReadyProblem, LastError) while no Inspect screen offers its camera. */
export const NO_SCREEN_OFFERS = 'No Inspect screen answers line triggers: open Inspect > Camera and turn on "Answer line triggers"';

/** An offer to answer triggers lapses this long after its last renewal (a closed window stops being asked). */
export const FRAME_OFFER_LEASE_SECONDS = 10;

export interface FrameRequest {
  requestId: string;
  providerId: string;
  product: string;
}

/** A frame an Inspect screen sent, and the connection it came from (whose operator the result is for). */
export interface ScreenFrame {
  bytes: Buffer;
  clientId: string;
}

interface Offer {
  providerId: string;
  clientId: string;
  until: number;
}

interface Waiting {
  clientId: string;
  resolve(frame: ScreenFrame): void;
  reject(error: Error): void;
}

/**
 * Frames for line triggers from the camera of an open Inspect screen: the camera belongs to the
 * window (getUserMedia), so the station asks the screen that offered most recently, by an event, and
 * waits for its answer (line.frame) up to a timeout. No offer: the trigger fails at once.
 */
export class ScreenFrames {
  private readonly offers = new Map<string, Offer>();
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly ask: (request: FrameRequest) => void,
    private readonly onOffersChanged: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** A screen offers (or renews its offer); the id it is asked by. */
  offer(clientId: string): { providerId: string; leaseSeconds: number } {
    const known = this.offers.get(clientId);
    const providerId = known?.providerId ?? randomUUID();
    this.offers.set(clientId, { providerId, clientId, until: this.now() + FRAME_OFFER_LEASE_SECONDS * 1000 });
    if (!known) this.onOffersChanged();
    return { providerId, leaseSeconds: FRAME_OFFER_LEASE_SECONDS };
  }

  withdraw(clientId: string): void {
    if (this.offers.delete(clientId)) this.onOffersChanged();
  }

  available(): boolean {
    return this.current() !== null;
  }

  /** Asks the newest live offer for a frame of `product`; fails after `timeoutMs` without an answer. */
  request(product: string, timeoutMs: number): Promise<ScreenFrame> {
    const offer = this.current();
    if (!offer) return Promise.reject(new LineError('noFrameSource', NO_SCREEN_OFFERS));
    const requestId = randomUUID();
    return new Promise<ScreenFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new LineError('frameTimeout', `The Inspect screen sent no frame within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const settle =
        <T>(fn: (value: T) => void) =>
        (value: T) => {
          clearTimeout(timer);
          this.waiting.delete(requestId);
          fn(value);
        };
      this.waiting.set(requestId, { clientId: offer.clientId, resolve: settle(resolve), reject: settle(reject) });
      this.ask({ requestId, providerId: offer.providerId, product });
    });
  }

  /** A screen's answer: only the connection that was asked may answer, once. */
  answer(clientId: string, requestId: string, answer: { bytes: Buffer } | { problem: string }): void {
    const waiting = this.waiting.get(requestId);
    if (!waiting || waiting.clientId !== clientId)
      throw new DomainError('not-found', 'No trigger is waiting for this frame (it timed out, or it was asked of another screen)');
    if ('bytes' in answer) waiting.resolve({ bytes: answer.bytes, clientId });
    else waiting.reject(new LineError('noFrameSource', `The Inspect screen could not take a frame: ${answer.problem}`));
  }

  /** The offer renewed last, among those still live. */
  private current(): Offer | null {
    const now = this.now();
    let newest: Offer | null = null;
    for (const [clientId, offer] of this.offers) {
      if (offer.until < now) {
        this.offers.delete(clientId);
        continue;
      }
      if (!newest || offer.until > newest.until) newest = offer;
    }
    return newest;
  }
}
