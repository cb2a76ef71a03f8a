import type { Target } from '../core/adapter.js';
import type { PlatformLimits } from './limits.js';
import { MinHeap } from './min-heap.js';
import { type PaceTurn, ReplyTurn } from './pacer.js';
import type { PendingMessage } from './queued-message.js';
import { SlidingWindow } from './rate-limit.js';
import { EvenSpacing } from './even-spacing.js';
import { RoundTrips } from './round-trips.js';

/** One target's FIFO and the limits that apply to it alone. */
export interface TargetQueue {
  key: string;
  target: Target;
  messages: PendingMessage[];
  /** Interactive replies waiting for (or holding) a send; they go before pushed messages. */
  turns: ReplyTurn[];
  /** One send at a time per target: that is what keeps the order. */
  inFlight: boolean;
  /** Set by a retry-later (429 retry_after, transient failure). */
  pausedUntil: number;
  /** Waiting in the lane's heap (so it is never pushed twice). */
  scheduled: boolean;
  /** Dropped from the outbox (stop, unreachable): a late completion must not revive it. */
  detached: boolean;
  windows: SlidingWindow[];
}

/**
 * What the queue would send next and its cost: the first reply turn if there is one (a user
 * is waiting; it blocks pushes until it ends, so its parts stay together), else the head
 * message. Undefined when nothing can go now (a turn between two of its parts).
 */
function headCost(queue: TargetQueue): number | undefined {
  const turn = queue.turns[0];
  if (turn) return turn.wantsSend ? 1 : undefined;
  return queue.messages[0]?.cost;
}

interface Slot {
  readyAt: number;
  seq: number;
  queue: TargetQueue;
}

/**
 * The scheduler of one platform. Targets with something to send sit in a min-heap keyed by
 * the time their own limits allow the next send, ties broken by arrival: the target that has
 * waited longest goes first, which is round-robin when the platform-wide budget is the
 * bottleneck. Work per wake-up is proportional to the targets that are ready, and one timer
 * wakes the lane when the next token frees up; there is no polling.
 */
export class SendLane {
  readonly global: SlidingWindow;
  private readonly spacing: EvenSpacing;
  private readonly roundTrips = new RoundTrips();
  private readonly shortestRoundTrip = () => this.roundTrips.shortest();
  private readonly heap = new MinHeap<Slot>((a, b) => a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq));
  private seq = 0;
  private running = false;
  private pumpQueued = false;
  private timer: NodeJS.Timeout | undefined;
  /** A platform-wide pause (a 429 that says it is global). */
  private pausedUntil = 0;

  constructor(
    private readonly limits: PlatformLimits,
    private readonly now: () => number,
    /** Sends the head of the queue and handles the outcome; the lane only paces. */
    private readonly deliver: (queue: TargetQueue, pace?: PaceTurn) => Promise<void>,
    /** The sender waits on a PaceTurn before each part of a reply (see OutboxSender.pacesParts). */
    private readonly pacesParts = false,
  ) {
    this.global = new SlidingWindow(limits.global, limits.startMarginMs, this.shortestRoundTrip);
    this.spacing = new EvenSpacing(limits.global.windowMs / limits.global.limit, limits.global.limit);
  }

  newQueue(key: string, target: Target): TargetQueue {
    const margin = this.limits.startMarginMs;
    const windows = [new SlidingWindow(this.limits.perTarget, margin, this.shortestRoundTrip)];
    if (target.kind === 'group' && this.limits.perGroup) windows.push(new SlidingWindow(this.limits.perGroup, margin, this.shortestRoundTrip));
    return { key, target, messages: [], turns: [], inFlight: false, pausedUntil: 0, scheduled: false, detached: false, windows };
  }

  /** A reply's place in the queue's line, behind earlier replies and ahead of pushes. */
  openTurn(queue: TargetQueue): ReplyTurn {
    const turn = new ReplyTurn({
      wants: () => this.schedule(queue),
      ended: (ended) => {
        const index = queue.turns.indexOf(ended);
        if (index >= 0) queue.turns.splice(index, 1);
        this.schedule(queue);
      },
      paused: (retryAfterMs) => {
        queue.pausedUntil = Math.max(queue.pausedUntil, this.now() + retryAfterMs);
      },
    });
    queue.turns.push(turn);
    return turn;
  }

  /** Puts a queue with work in line (no-op if it is already in line, sending, or detached). */
  schedule(queue: TargetQueue): void {
    const cost = headCost(queue);
    if (queue.scheduled || queue.inFlight || queue.detached || cost === undefined) return;
    queue.scheduled = true;
    this.heap.push({ readyAt: this.readyAt(queue, this.now(), cost), seq: this.seq++, queue });
    this.requestPump();
  }

  /** When the queue's own limits (and a retry-later pause) let a send of `cost` start. */
  private readyAt(queue: TargetQueue, now: number, cost: number): number {
    let readyAt = Math.max(now, queue.pausedUntil);
    for (const window of queue.windows) readyAt = Math.max(readyAt, window.nextFreeAt(now, cost));
    return readyAt;
  }

  pausePlatform(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** True when dropping this queue's bookkeeping cannot let a later send break a limit. */
  canForget(queue: TargetQueue): boolean {
    const now = this.now();
    return !queue.inFlight && queue.messages.length === 0 && queue.turns.length === 0 && queue.pausedUntil <= now && queue.windows.every((w) => w.isIdle(now));
  }

  resume(): void {
    this.running = true;
    this.requestPump();
  }

  halt(): void {
    this.running = false;
    this.clearTimer();
  }

  /** Forgets every queued slot (after the outbox persisted them). */
  clear(): void {
    this.heap.clear();
  }

  /** Coalesces many enqueues in one tick into one pass. */
  private requestPump(): void {
    if (this.pumpQueued || !this.running) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private pump(): void {
    this.clearTimer();
    if (!this.running) return;
    const now = this.now();
    for (let top = this.heap.peek(); top; top = this.heap.peek()) {
      const cost = headCost(top.queue);
      if (top.queue.detached || cost === undefined) {
        this.heap.pop();
        top.queue.scheduled = false;
        continue;
      }
      // The head may have changed since it was put in line (a reply turn ended, a 429 paused it).
      const ownReadyAt = this.readyAt(top.queue, now, cost);
      if (ownReadyAt > now && ownReadyAt > top.readyAt) {
        this.heap.pop();
        top.queue.scheduled = false;
        this.schedule(top.queue);
        continue;
      }
      const wakeAt = Math.max(top.readyAt, this.pausedUntil, this.global.nextFreeAt(now, cost), this.spacing.nextFreeAt(now));
      if (wakeAt > now) {
        // Infinity: running sends (stuck, or multi-part) hold every free slot; the next completion pumps again.
        if (Number.isFinite(wakeAt)) this.timer = setTimeout(() => this.pump(), wakeAt - now);
        return;
      }
      this.heap.pop();
      top.queue.scheduled = false;
      this.send(top.queue, cost);
    }
    this.spacing.rest();
  }

  private send(queue: TargetQueue, cost: number): void {
    if (cost > 1 && this.pacesParts && queue.turns.length === 0) return this.sendInParts(queue);
    queue.inFlight = true;
    const windows = [this.global, ...queue.windows];
    // Counted from the start (see SlidingWindow): the next send may go before this one's answer.
    const startedAt = this.now();
    for (const window of windows) window.acquire(startedAt, cost);
    this.spacing.take(startedAt, Math.min(cost, this.limits.global.limit));
    const turn = queue.turns[0];
    const work = turn ? turn.grant() : this.deliver(queue);
    void work.finally(() => {
      const finishedAt = this.now();
      // A multi-part send is several round trips: it says nothing about one.
      if (cost === 1) this.roundTrips.record(finishedAt - startedAt);
      const arrivedBy = finishedAt - this.roundTrips.shortest();
      for (const window of windows) window.release(startedAt, arrivedBy, cost);
      queue.inFlight = false;
      this.schedule(queue);
      this.requestPump();
    });
  }

  /**
   * A reply of several parts, each granted through the windows like an interactive reply's:
   * its turn goes first in the queue's line, so nothing comes between its parts, and its end
   * lets the next message go (after the outcome was settled).
   */
  private sendInParts(queue: TargetQueue): void {
    const turn = this.openTurn(queue);
    void this.deliver(queue, turn).finally(() => turn.end());
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
