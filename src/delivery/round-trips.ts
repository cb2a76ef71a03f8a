/**
 * The shortest recent round trip to one platform, used to tell when a finished send reached
 * the platform: no later than `answer − shortest round trip` (+ the margin), because the
 * answer still had to come back. That is start-based counting for a send that took the usual
 * time, and later for one that queued somewhere (a burst on a busy machine, a cold start),
 * where counting from the start alone drew 429s through the fake Bot API.
 */
const SAMPLES = 256;
/**
 * Until this many sends were timed, `shortest()` is 0 (count from the answer, as before): the
 * first burst of a process is slow as a whole (connections, a cold JIT), and a minimum taken
 * over it alone would call its queueing latency.
 */
export const ROUND_TRIP_WARMUP = 32;

export class RoundTrips {
  private readonly samples: number[] = [];
  private next = 0;
  private timed = 0;
  private min = Infinity;

  constructor(private readonly warmup = ROUND_TRIP_WARMUP) {}

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.timed += 1;
    const replaced = this.samples[this.next];
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % SAMPLES;
    // The ring moves on, so the minimum can rise again when the network gets slower.
    if (ms <= this.min) this.min = ms;
    else if (replaced === this.min) this.min = Math.min(...this.samples);
  }

  /** The shortest round trip of the last SAMPLES sends, or 0 while warming up. */
  shortest(): number {
    return this.timed >= this.warmup ? this.min : 0;
  }
}
