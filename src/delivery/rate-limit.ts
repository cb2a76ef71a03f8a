import type { RateWindow } from './limits.js';

/**
 * Added to the window after a send's start. The platform counts a request when it arrives,
 * which is after we started it; the margin covers one request's trip being slower than the
 * next one's (jitter, a busy event loop), so the platform never sees `limit + 1` in its window.
 */
export const DEFAULT_START_MARGIN_MS = 25;

/**
 * A sliding-window limiter that counts a send from the moment it starts. The platform counts
 * a request when it arrives; counting from our answer instead (as this did before issue 12)
 * wasted one round trip per window, so throughput fell with latency (0.78 of 30/s at 250 ms).
 *
 * A running send counts until `start + windowMs + margin`: the next send of the window may go
 * before its answer came back. But a send still running past that and past the shortest round
 * trip (+ the margin) is stuck somewhere (a blocked event loop, a stalled connection): it may
 * not have left yet, so it holds its slot until it answers. Once answered, it counts until
 * `arrivedBy + windowMs + margin`, where `arrivedBy` (from RoundTrips: the answer minus the
 * shortest round trip) is when it reached the platform at the latest, never before its start. Every part of a multi-part send
 * (a chart, then texts, sent one after another) counts from that same `arrivedBy`; until the
 * send finishes, the parts after the first hold their slots.
 */
export class SlidingWindow {
  /** When each counted part stops counting, ascending. */
  private readonly until: number[] = [];
  /** Parts after the first of sends still running: they hold a slot until they finish. */
  private pendingParts = 0;
  /** Start times of the sends still running. */
  private readonly running: number[] = [];

  constructor(
    private readonly window: RateWindow,
    private readonly marginMs = DEFAULT_START_MARGIN_MS,
    /** The shortest recent round trip to the platform (RoundTrips.shortest); 0 holds every running send. */
    private readonly shortestRoundTrip: () => number = () => 0,
  ) {}

  /**
   * Earliest time a send of `cost` platform messages may start: `now` if there is room,
   * Infinity while only running sends (stuck, or multi-part) block: their completion frees the slots.
   */
  nextFreeAt(now: number, cost = 1): number {
    this.forget(now);
    const excess = this.pendingParts + this.stuck(now) + this.until.length + this.fit(cost) - this.window.limit;
    if (excess <= 0) return now;
    return this.until[excess - 1] ?? Infinity;
  }

  /** A send of `cost` parts starts at `startedAt`. */
  acquire(startedAt: number, cost = 1): void {
    this.running.push(startedAt);
    this.insert(this.countedUntil(startedAt));
    this.pendingParts += this.fit(cost) - 1;
  }

  /** The send that started at `startedAt` finished; it reached the platform by `arrivedBy`. */
  release(startedAt: number, arrivedBy: number, cost = 1): void {
    const slots = this.fit(cost);
    this.pendingParts = Math.max(0, this.pendingParts - (slots - 1));
    const index = this.running.indexOf(startedAt);
    if (index >= 0) this.running.splice(index, 1);
    // The provisional stamp, unless it already ran out (a round trip longer than the window).
    const provisional = this.until.lastIndexOf(this.countedUntil(startedAt));
    if (provisional >= 0) this.until.splice(provisional, 1);
    const counted = this.countedUntil(Math.max(startedAt, arrivedBy));
    for (let i = 0; i < slots; i++) this.insert(counted);
  }

  /** Running sends past their provisional stamp and past a normal round trip: see the class comment. */
  private stuck(now: number): number {
    const normalMs = this.shortestRoundTrip() + this.marginMs;
    let stuck = 0;
    for (const start of this.running) if (this.countedUntil(start) <= now && start + normalMs <= now) stuck += 1;
    return stuck;
  }

  private countedUntil(from: number): number {
    return from + this.window.windowMs + this.marginMs;
  }

  /** A reply bigger than the whole window (a chart and 2 texts vs 1/s per chat) goes as one burst. */
  private fit(cost: number): number {
    return Math.max(1, Math.min(cost, this.window.limit));
  }

  /** No send is running or still counted: the limiter can be dropped without losing anything. */
  isIdle(now: number): boolean {
    this.forget(now);
    return this.running.length === 0 && this.pendingParts === 0 && this.until.length === 0;
  }

  /** Keeps `until` sorted; stamps come nearly in order, so the scan from the end is short. */
  private insert(stamp: number): void {
    let index = this.until.length;
    while (index > 0 && this.until[index - 1]! > stamp) index--;
    this.until.splice(index, 0, stamp);
  }

  private forget(now: number): void {
    // At most `limit` entries, so a shift is cheap.
    while (this.until.length > 0 && this.until[0]! <= now) this.until.shift();
  }
}
