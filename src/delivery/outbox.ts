import { type SendOutcome, type Target, targetKey } from '../core/adapter.js';
import type { Platform } from '../core/command.js';
import type { Reply } from '../core/reply.js';
import { SendLane, type TargetQueue } from './lane.js';
import { type ResolvedLimits, resolveLimits } from './limits.js';
import type { EnqueueResult, OutboxOptions, OutboxStats, RefusalCode } from './outbox-types.js';
import { QueueSnapshot } from './queue-snapshot.js';
import { fromQueued, type MessageMeta } from './queued-message.js';
import { settleWithin } from './settle-within.js';

export type { QueuedMessage, MessageMeta } from './queued-message.js';
export type { EnqueueResult, OutboxLog, OutboxOptions, OutboxSender, OutboxStats, RefusalCode } from './outbox-types.js';

/** A retry-later may say the limit hit is platform-wide (Discord's `global: true` 429). */
type RetryLater = Extract<SendOutcome, { status: 'retry-later' }>;

const FORGET_IDLE_EVERY_MS = 60_000;
const MAX_ERROR_BACKOFF_MS = 60_000;

/**
 * Delivers pushed replies (alerts, digests) under each platform's send limits: per-target FIFO,
 * fair across targets, retry-later honoured in order, unreachable targets dropped and reported
 * once, and queues persisted across a clean restart.
 */
export class Outbox {
  private readonly limits: ResolvedLimits;
  private readonly now: () => number;
  private readonly lanes = new Map<Platform, SendLane>();
  private readonly queues = new Map<string, TargetQueue>();
  private readonly unreachable = new Map<string, { target: Target; reason: string }>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly snapshot: QueueSnapshot;
  private state: OutboxStats['state'] = 'idle';
  private queued = 0;
  private counters = { sent: 0, retried: 0, gaveUp: 0, dropped: 0, refused: 0 };
  private forgetTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: OutboxOptions) {
    this.limits = resolveLimits(options.limits);
    this.now = options.now ?? Date.now;
    this.snapshot = new QueueSnapshot(options.store);
  }

  /** Queues a reply; refused (with a reason) for unreachable targets, unknown platforms, or a full queue. */
  enqueue(target: Target, reply: Reply, meta: MessageMeta = {}): EnqueueResult {
    const refusal = this.refusal(target);
    if (refusal) {
      this.counters.refused += 1;
      return { status: 'refused', ...refusal };
    }
    const queue = this.queueFor(target);
    queue.messages.push({ target, reply, meta, attempts: 0, enqueuedAt: this.now(), cost: this.costOf(target.platform, reply) });
    this.queued += 1;
    this.laneFor(target.platform)!.schedule(queue);
    return { status: 'queued', position: queue.messages.length };
  }

  /** Reloads persisted queues and starts sending. */
  async start(): Promise<void> {
    if (this.stopping) await this.stopping;
    if (this.state === 'running') return;
    await this.load();
    this.state = 'running';
    for (const lane of this.lanes.values()) lane.resume();
    this.forgetTimer = setInterval(() => this.forgetIdleQueues(), FORGET_IDLE_EVERY_MS);
    this.forgetTimer.unref();
  }

  /**
   * Drains for up to `timeoutMs` (unless `drain: false`), then persists whatever is still queued.
   * A send still running at the deadline keeps its message queued: at least once, never lost.
   */
  stop(options: { drain?: boolean; timeoutMs: number }): Promise<void> {
    if (this.state === 'stopped') return Promise.resolve();
    this.stopping ??= this.shutDown(options).finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  private async shutDown(options: { drain?: boolean; timeoutMs: number }): Promise<void> {
    const deadline = this.now() + options.timeoutMs;
    const wasRunning = this.state === 'running';
    this.state = 'stopping';
    if (options.drain !== false && wasRunning) await settleWithin(this.whenIdle(), options.timeoutMs);
    for (const lane of this.lanes.values()) lane.halt();
    clearInterval(this.forgetTimer);
    await settleWithin(Promise.all(this.inFlight), Math.max(0, deadline - this.now()));
    const saved = await this.snapshot.save(this.queues.values());
    if (saved.messages > 0) this.options.log.info(saved, 'outbox: persisted queued messages');
    for (const queue of this.queues.values()) queue.detached = true;
    for (const lane of this.lanes.values()) lane.clear();
    this.queues.clear();
    this.queued = 0;
    this.state = 'stopped';
    this.notifyIfIdle();
  }

  /** Lets a target receive messages again (the user unblocked the bot, the owner resumed it). */
  markReachable(target: Target): boolean {
    return this.unreachable.delete(targetKey(target));
  }

  isUnreachable(target: Target): boolean {
    return this.unreachable.has(targetKey(target));
  }

  stats(): OutboxStats {
    return {
      state: this.state,
      queued: this.queued,
      inFlight: this.inFlight.size,
      targets: [...this.queues.values()].filter((queue) => queue.messages.length > 0).length,
      unreachable: this.unreachable.size,
      ...this.counters,
    };
  }

  /** Resolves once nothing is queued or in flight. */
  whenIdle(): Promise<void> {
    if (this.queued === 0 && this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private refusal(target: Target): { code: RefusalCode; reason: string } | undefined {
    const key = targetKey(target);
    if (this.state === 'stopped') return { code: 'stopped', reason: 'the outbox is stopped' };
    const unreachable = this.unreachable.get(key);
    if (unreachable) return { code: 'unreachable', reason: `${key} is unreachable: ${unreachable.reason}` };
    if (!this.options.senders[target.platform]) return { code: 'no-sender', reason: `no sender for ${target.platform}` };
    const queued = this.queues.get(key)?.messages.length ?? 0;
    if (queued >= this.limits.maxQueuePerTarget) {
      return { code: 'queue-full', reason: `${key} already has ${queued} messages queued` };
    }
    return undefined;
  }

  private costOf(platform: Platform, reply: Reply): number {
    const parts = this.options.senders[platform]?.partsOf?.(reply) ?? 1;
    return Number.isFinite(parts) && parts >= 1 ? Math.ceil(parts) : 1;
  }

  private laneFor(platform: Platform): SendLane | undefined {
    let lane = this.lanes.get(platform);
    if (!lane && this.options.senders[platform]) {
      lane = new SendLane(this.limits.platforms[platform], this.now, (queue) => this.deliver(queue));
      if (this.state === 'running') lane.resume();
      this.lanes.set(platform, lane);
    }
    return lane;
  }

  private queueFor(target: Target): TargetQueue {
    const key = targetKey(target);
    let queue = this.queues.get(key);
    if (!queue) {
      queue = this.laneFor(target.platform)!.newQueue(key, target);
      this.queues.set(key, queue);
    }
    return queue;
  }

  /** Sends the head of a queue and acts on the outcome; never rejects. */
  private deliver(queue: TargetQueue): Promise<void> {
    const message = queue.messages[0]!;
    message.attempts += 1;
    const sender = this.options.senders[queue.target.platform]!;
    const sending = sender
      .send(message.target, message.reply)
      .catch((error: unknown): RetryLater => {
        const backoff = Math.min(MAX_ERROR_BACKOFF_MS, 1_000 * 2 ** (message.attempts - 1));
        return { status: 'retry-later', retryAfterMs: backoff, reason: error instanceof Error ? error.message : String(error) };
      })
      .then((outcome) => {
        if (!queue.detached) this.settle(queue, outcome);
      })
      .catch((error: unknown) => this.options.log.warn({ target: queue.key, err: error }, 'outbox: handling a send outcome failed'));
    const tracked = sending.finally(() => {
      this.inFlight.delete(tracked);
      this.notifyIfIdle();
    });
    this.inFlight.add(tracked);
    return tracked;
  }

  private settle(queue: TargetQueue, outcome: SendOutcome): void {
    const message = queue.messages[0]!;
    const owner = message.meta.owner;
    if (outcome.status === 'sent') {
      this.shift(queue);
      this.counters.sent += 1;
    } else if (outcome.status === 'retry-later') {
      this.counters.retried += 1;
      if (message.attempts >= this.limits.maxAttempts) {
        this.shift(queue);
        this.counters.gaveUp += 1;
        this.options.log.warn({ target: queue.key, owner, attempts: message.attempts, reason: outcome.reason }, 'outbox: gave up on a message');
        return;
      }
      const until = this.now() + Math.max(0, outcome.retryAfterMs);
      queue.pausedUntil = until;
      if (outcome.global) this.laneFor(queue.target.platform)?.pausePlatform(until);
      this.options.log.debug({ target: queue.key, owner, retryAfterMs: outcome.retryAfterMs, reason: outcome.reason }, 'outbox: retry later');
    } else {
      this.markUnreachable(queue, outcome.reason);
    }
  }

  private markUnreachable(queue: TargetQueue, reason: string): void {
    const dropped = queue.messages.length;
    this.queued -= dropped;
    this.counters.dropped += dropped;
    queue.messages.length = 0;
    queue.detached = true;
    this.queues.delete(queue.key);
    this.unreachable.set(queue.key, { target: queue.target, reason });
    this.options.log.warn({ target: queue.key, reason, dropped }, 'outbox: target unreachable, queue dropped');
    const notify = this.options.onUnreachable;
    if (notify) {
      void Promise.resolve()
        .then(() => notify(queue.target, reason))
        .catch((error: unknown) => this.options.log.warn({ target: queue.key, err: error }, 'outbox: onUnreachable failed'));
    }
  }

  private shift(queue: TargetQueue): void {
    queue.messages.shift();
    this.queued -= 1;
  }

  private notifyIfIdle(): void {
    if (this.queued !== 0 || this.inFlight.size !== 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Older persisted messages go ahead of anything enqueued before start. */
  private async load(): Promise<void> {
    const loaded = await this.snapshot.load();
    let reloaded = 0;
    for (const [key, stored] of loaded) {
      try {
        const platform = stored[0]!.target.platform;
        if (!this.options.senders[platform]) {
          this.options.log.warn({ target: key, messages: stored.length }, 'outbox: persisted queue has no sender; kept in the store');
          this.snapshot.keep(key);
          continue;
        }
        const messages = stored.map((queued) => fromQueued(queued, (reply) => this.costOf(platform, reply)));
        const queue = this.queueFor(messages[0]!.target);
        queue.messages.unshift(...messages);
        this.queued += messages.length;
        reloaded += messages.length;
        this.laneFor(platform)!.schedule(queue);
      } catch (error) {
        this.options.log.warn({ target: key, err: error }, 'outbox: unreadable persisted queue skipped');
      }
    }
    if (reloaded > 0) this.options.log.info({ targets: loaded.size, messages: reloaded }, 'outbox: reloaded queued messages');
  }

  private forgetIdleQueues(): void {
    for (const [key, queue] of this.queues) {
      if (this.laneFor(queue.target.platform)!.canForget(queue)) this.queues.delete(key);
    }
  }
}
