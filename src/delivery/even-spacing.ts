/**
 * Spreads a platform's sends evenly, one every `windowMs / limit` (a GCRA), on top of its
 * sliding window. Without it a window refills all at once and the sends go out in bursts of
 * `limit`; a burst queues on our side (one event loop serialising 30 requests and their store
 * writes), so its requests reach the platform spread over a few hundred ms while the next
 * burst, which started `windowMs` later, arrives quicker: the platform saw more than its limit
 * and answered 429 (measured through the fake Bot API, issue 12). Evenly spaced requests queue
 * nowhere, so each one's round trip tells when it arrived (see RoundTrips).
 *
 * When nothing was waiting (see rest()), the first `limit` sends may still go at once, as the
 * platform allows; the ones after them are spaced. A gap is never handed out again for a wait
 * on the sliding window, or the bursts would come back; a timer that fired late may catch up
 * a few gaps at once.
 */
const CATCH_UP_GAPS = 5;

export class EvenSpacing {
  /** Earliest start of the next send. */
  private next = -Infinity;
  /** Nothing was waiting to be sent since the last send. */
  private quiet = true;

  constructor(
    private readonly gapMs: number,
    private readonly limit: number,
  ) {}

  nextFreeAt(now: number): number {
    return Math.max(now, this.next);
  }

  /** The lane has nothing left to send: the next send may open a burst. */
  rest(): void {
    this.quiet = true;
  }

  /** A send of `parts` platform messages started: the next waits one gap per part. */
  take(startedAt: number, parts: number): void {
    const credit = this.quiet ? this.limit - 1 : CATCH_UP_GAPS;
    this.quiet = false;
    this.next = Math.max(this.next, startedAt - credit * this.gapMs) + parts * this.gapMs;
  }
}
