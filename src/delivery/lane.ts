import type { Target } from '../core/adapter.js';
import type { PlatformLimits } from './limits.js';
import { MinHeap } from './min-heap.js';
import type { PendingMessage } from './queued-message.js';
import { SlidingWindow } from './rate-limit.js';

/** One target's FIFO and the limits that apply to it alone. */
export interface TargetQueue {
  key: string;
  target: Target;
  messages: PendingMessage[];
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
    private readonly deliver: (queue: TargetQueue) => Promise<void>,
  ) {
    this.global = new SlidingWindow(limits.global);
  }

  newQueue(key: string, target: Target): TargetQueue {
    const windows = [new SlidingWindow(this.limits.perTarget)];
    if (target.kind === 'group' && this.limits.perGroup) windows.push(new SlidingWindow(this.limits.perGroup));
    return { key, target, messages: [], inFlight: false, pausedUntil: 0, scheduled: false, detached: false, windows };
  }

  /** Puts a queue with work in line (no-op if it is already in line, sending, or detached). */
  schedule(queue: TargetQueue): void {
    if (queue.scheduled || queue.inFlight || queue.detached || queue.messages.length === 0) return;
    const now = this.now();
    const cost = queue.messages[0]!.cost;
    let readyAt = Math.max(now, queue.pausedUntil);
    for (const window of queue.windows) readyAt = Math.max(readyAt, window.nextFreeAt(now, cost));
    queue.scheduled = true;
    this.heap.push({ readyAt, seq: this.seq++, queue });
    this.requestPump();
  }

  pausePlatform(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** True when dropping this queue's bookkeeping cannot let a later send break a limit. */
  canForget(queue: TargetQueue): boolean {
    const now = this.now();
    return !queue.inFlight && queue.messages.length === 0 && queue.pausedUntil <= now && queue.windows.every((w) => w.isIdle(now));
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
      if (top.queue.detached || top.queue.messages.length === 0) {
        this.heap.pop();
        top.queue.scheduled = false;
        continue;
      }
      const wakeAt = Math.max(top.readyAt, this.pausedUntil, this.global.nextFreeAt(now, top.queue.messages[0]!.cost));
      if (wakeAt > now) {
        // Infinity: every global slot is in flight, and the next completion pumps again.
        if (Number.isFinite(wakeAt)) this.timer = setTimeout(() => this.pump(), wakeAt - now);
        return;
      }
      this.heap.pop();
      top.queue.scheduled = false;
      this.send(top.queue);
    }
  }

  private send(queue: TargetQueue): void {
    queue.inFlight = true;
    const cost = queue.messages[0]!.cost;
    const windows = [this.global, ...queue.windows];
    for (const window of windows) window.acquire(cost);
    void this.deliver(queue).finally(() => {
      const finishedAt = this.now();
      for (const window of windows) window.release(finishedAt, cost);
      queue.inFlight = false;
      this.schedule(queue);
      this.requestPump();
    });
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
