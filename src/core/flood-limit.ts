/**
 * Per-user flood limit on incoming commands, so one user (or one runaway script) cannot
 * starve a chat's send budget or the venues for everyone else. A sliding window per key:
 * up to `limit` commands are let through in any `windowMs`; the first one over the limit
 * gets a single "slow down" answer, the rest are dropped silently until the oldest command
 * in the window ages out. Dropped commands do not count, so waiting always frees a slot.
 */

/**
 * 8 commands in 10 s is several times faster than anyone reads an answer (a person types
 * one command every few seconds, plus a couple of quick Refresh clicks), yet a burst of
 * that size costs each venue at most a few requests and stays inside Discord's and
 * Telegram's per-chat send limits.
 */
export const FLOOD_LIMIT = 8;
export const FLOOD_WINDOW_MS = 10_000;

export interface FloodLimitOptions {
  limit?: number;
  windowMs?: number;
}

/** `allow`: run it; `warn`: answer "slow down" once; `drop`: ignore, with `retryInMs` until a slot frees. */
export type FloodVerdict = { kind: 'allow' } | { kind: 'warn' | 'drop'; retryInMs: number };

interface Window {
  /** When each command let through in the window arrived, oldest first. */
  times: number[];
  /** The "slow down" answer was given for the current flood; reset once a command gets through. */
  warned: boolean;
}

export class FloodLimit {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly windows = new Map<string, Window>();
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(options: FloodLimitOptions = {}) {
    this.limit = options.limit ?? FLOOD_LIMIT;
    this.windowMs = options.windowMs ?? FLOOD_WINDOW_MS;
  }

  /** Records a command from `key` (platform and user) at `now`, and says what to do with it. */
  check(key: string, now: number): FloodVerdict {
    this.sweep(now);
    const window = this.windows.get(key) ?? { times: [], warned: false };
    this.windows.set(key, window);
    while (window.times.length > 0 && window.times[0] <= now - this.windowMs) window.times.shift();
    if (window.times.length < this.limit) {
      window.times.push(now);
      window.warned = false;
      return { kind: 'allow' };
    }
    const retryInMs = window.times[0] + this.windowMs - now;
    if (window.warned) return { kind: 'drop', retryInMs };
    window.warned = true;
    return { kind: 'warn', retryInMs };
  }

  /** Forgets users whose window has emptied, at most once per window, so the map stays small. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) {
      const newest = window.times[window.times.length - 1];
      if (newest === undefined || newest <= now - this.windowMs) this.windows.delete(key);
    }
  }

  /** Users currently tracked (for tests of the sweep). */
  get size(): number {
    return this.windows.size;
  }
}
