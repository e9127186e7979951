/**
 * Keeps a flood of identical events from filling the audit or station log: the first of a kind is
 * recorded, repeats within `intervalMs` are counted, and the next recorded one carries that count.
 */
export class RepeatThrottle {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly intervalMs = 60_000,
    private readonly maxKeys = 1000,
  ) {}

  /** Whether to record this one now; `repeats` is how many were left unrecorded since the last row. */
  admit(key: string, now: number): { record: boolean; repeats: number } {
    const entry = this.last.get(key);
    if (entry && now - entry.at < this.intervalMs) {
      entry.suppressed++;
      return { record: false, repeats: entry.suppressed };
    }
    this.last.delete(key);
    this.last.set(key, { at: now, suppressed: 0 });
    if (this.last.size > this.maxKeys) this.last.delete(this.last.keys().next().value as string); // oldest first
    return { record: true, repeats: entry?.suppressed ?? 0 };
  }
}
