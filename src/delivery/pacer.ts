import type { Target } from '../core/adapter.js';

/**
 * A reply's place in its target's line. Interactive replies go through the same sliding
 * windows as pushed messages (issue 11: replies that bypassed them drew 429s and were lost),
 * one part at a time, and hold the line until `end()`, so the parts of one reply are never
 * interleaved with another reply's or a push.
 *
 * ```ts
 * const turn = pacer.pace(target);
 * try {
 *   for (const part of parts) { await turn.next(); try { await send(part); turn.done(); } catch (e) { turn.done(retryAfterMs(e)); throw e; } }
 * } finally { turn.end(); }
 * ```
 */
export interface PaceTurn {
  /** Resolves when the next part may be sent under the target's and the platform's limits. */
  next(): Promise<void>;
  /** That part's request finished; `retryAfterMs` after a 429 pauses the target for pushes too. */
  done(retryAfterMs?: number): void;
  /** Leaves the line (sent, or abandoned). Safe to call twice; must be called. */
  end(): void;
}

/** What an adapter needs to pace its replies: the outbox implements it. */
export interface SendPacer {
  pace(target: Target): PaceTurn;
}

interface TurnHooks {
  /** The turn wants a send: put its target in line. */
  wants(turn: ReplyTurn): void;
  ended(turn: ReplyTurn): void;
  paused(retryAfterMs: number): void;
}

/** The outbox's side of a PaceTurn: the lane grants it sends like it sends a queue's head. */
export class ReplyTurn implements PaceTurn {
  private waiter: (() => void) | undefined;
  private finish: (() => void) | undefined;
  private ended = false;
  /** Let go by the outbox (stopped, target dropped): every next() passes at once. */
  private free: boolean;

  constructor(private readonly hooks?: TurnHooks) {
    this.free = !hooks;
  }

  /** A turn that never waits: when the outbox is not running there is nothing to share. */
  static unpaced(): ReplyTurn {
    return new ReplyTurn();
  }

  /** Waiting for a send and not holding one. */
  get wantsSend(): boolean {
    return this.waiter !== undefined && this.finish === undefined;
  }

  next(): Promise<void> {
    // A caller that forgot done() still frees the window it held.
    if (this.finish) this.done();
    if (this.free || this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = resolve;
      this.hooks!.wants(this);
    });
  }

  /** Called by the lane with the windows taken: resolves next(); settles when the part is done. */
  grant(): Promise<void> {
    const waiter = this.waiter;
    this.waiter = undefined;
    const lease = new Promise<void>((resolve) => (this.finish = resolve));
    waiter?.();
    return lease;
  }

  done(retryAfterMs?: number): void {
    if (retryAfterMs && retryAfterMs > 0 && !this.free) this.hooks?.paused(retryAfterMs);
    const finish = this.finish;
    this.finish = undefined;
    finish?.();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.done();
    this.letGo();
    this.hooks?.ended(this);
  }

  /** Stops pacing this turn: a waiting next() passes now, later ones at once. */
  letGo(): void {
    this.free = true;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
