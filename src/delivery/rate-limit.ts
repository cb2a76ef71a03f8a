import type { RateWindow } from './limits.js';

/**
 * A sliding-window limiter that counts a send from the moment it starts (a lease) until
 * `windowMs` after it finished. Stamping the finish rather than the start keeps us inside
 * the server's window whatever the network latency: the server saw the request before we
 * saw its answer, so `answer + windowMs` is always later than `arrival + windowMs`.
 */
export class SlidingWindow {
  /** Finish times of recent sends, oldest first (the clock only moves forward). */
  private readonly finished: number[] = [];
  private inFlight = 0;

  constructor(private readonly window: RateWindow) {}

  /**
   * Earliest time a send of `cost` platform messages may start: `now` if there is room,
   * Infinity while only in-flight sends block (their completion frees the slots).
   */
  nextFreeAt(now: number, cost = 1): number {
    this.forget(now);
    const excess = this.inFlight + this.finished.length + this.fit(cost) - this.window.limit;
    if (excess <= 0) return now;
    const blocking = this.finished[excess - 1];
    return blocking === undefined ? Infinity : blocking + this.window.windowMs;
  }

  acquire(cost = 1): void {
    this.inFlight += this.fit(cost);
  }

  /** Ends a lease; the send keeps counting for `windowMs` after `finishedAt`. */
  release(finishedAt: number, cost = 1): void {
    const slots = this.fit(cost);
    this.inFlight = Math.max(0, this.inFlight - slots);
    for (let i = 0; i < slots; i++) this.finished.push(finishedAt);
  }

  /** A reply bigger than the whole window (a chart and 2 texts vs 1/s per chat) goes as one burst. */
  private fit(cost: number): number {
    return Math.max(1, Math.min(cost, this.window.limit));
  }

  /** No send is running or still counted: the limiter can be dropped without losing anything. */
  isIdle(now: number): boolean {
    this.forget(now);
    return this.inFlight === 0 && this.finished.length === 0;
  }

  private forget(now: number): void {
    const horizon = now - this.window.windowMs;
    // At most `limit` entries, so a shift is cheap.
    while (this.finished.length > 0 && this.finished[0]! <= horizon) this.finished.shift();
  }
}
