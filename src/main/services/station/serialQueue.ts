export class QueueFullError extends Error {
  constructor(limit: number) {
    super(`The station is busy: ${limit} tasks are waiting already. Try again in a moment.`);
  }
}

/**
 * Runs tasks one at a time in arrival order (one model, one tensor backend: no interleaving). With
 * a limit, a task that would wait behind `limit` others is refused at once: what is queued holds
 * images in memory, and a burst must not grow it without bound.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  /** Queues `task`; `limited: false` for housekeeping that must never be refused. */
  run<T>(task: () => Promise<T>, limited = true): Promise<T> {
    if (limited && this.pending >= this.limit) return Promise.reject(new QueueFullError(this.limit));
    this.pending++;
    const counted = () => task().finally(() => this.pending--);
    const next = this.tail.then(counted, counted);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Tasks running or waiting. */
  get size(): number {
    return this.pending;
  }

  /** Resolves when everything queued so far has finished. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
