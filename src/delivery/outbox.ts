import { type SendOutcome, type Target, targetKey } from '../core/adapter.js';
import type { Platform } from '../core/command.js';
import type { Reply } from '../core/reply.js';
import { SendLane, type TargetQueue } from './lane.js';
import { type ResolvedLimits, resolveLimits } from './limits.js';
import type { EnqueueResult, OutboxOptions, OutboxStats, RefusalCode } from './outbox-types.js';
import { Owners } from './owners.js';
import { type PaceTurn, ReplyTurn, type SendPacer } from './pacer.js';
import type { PushOwner, PushService } from './push.js';
import { createPushService } from './push-service.js';
import { QueueBook } from './queue-book.js';
import type { MessageMeta } from './queued-message.js';
import { DrainSkip } from './drain-skip.js';
import { InFlightSends } from './in-flight.js';
import { refusalFor } from './refusal.js';
import { restoreQueues } from './restore.js';
import { attemptSend } from './send-attempt.js';
import { settleWithin } from './settle-within.js';
import { UnreachableMarks } from './unreachable-marks.js';

export type { QueuedMessage, MessageMeta } from './queued-message.js';
export type { EnqueueResult, OutboxLog, OutboxOptions, OutboxSender, OutboxStats, RefusalCode } from './outbox-types.js';

const FORGET_IDLE_EVERY_MS = 60_000;
/** At stop, store writes still get this long after the drain deadline: they record what was accepted. */
const FLUSH_GRACE_MS = 2_000;
/** After skipDrain, sends already on the wire get this long: their outcome decides whether a restart re-sends. */
const SKIPPED_IN_FLIGHT_MS = 1_000;

/**
 * Delivers pushed replies (alerts, digests) under each platform's send limits: per-target FIFO,
 * fair across targets, retry-later honoured in order, unreachable targets dropped and remembered,
 * every queue written through to the store (see DurableQueues), and each outcome routed to the
 * message's owner. Interactive replies share the same limits through `pace()`.
 */
export class Outbox implements SendPacer {
  private readonly limits: ResolvedLimits;
  private readonly now: () => number;
  private readonly lanes = new Map<Platform, SendLane>();
  private readonly book: QueueBook;
  private readonly inFlight: InFlightSends;
  private readonly unreachable: UnreachableMarks;
  private readonly owners: Owners;
  private state: OutboxStats['state'] = 'idle';
  private counters = { sent: 0, retried: 0, gaveUp: 0, rejected: 0, dropped: 0, refused: 0 };
  private forgetTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private loading: Promise<void> | undefined;
  private readonly drainSkip = new DrainSkip();

  constructor(private readonly options: OutboxOptions) {
    this.limits = resolveLimits(options.limits);
    this.now = options.now ?? Date.now;
    const writeFailed = (what: string) => (key: string, error: unknown) =>
      options.log.warn({ target: key, err: error }, `outbox: writing ${what} to the store failed; the next change retries`);
    const newQueue = (key: string, target: Target) => this.laneFor(target.platform)!.newQueue(key, target);
    this.book = new QueueBook(options.store, newQueue, writeFailed('a queue'), () => this.loaded());
    this.unreachable = new UnreachableMarks(options.unreachableStore, writeFailed('an unreachable mark'), () => this.loaded());
    this.owners = new Owners(options.owners, options.log, options.onUnreachable);
    this.inFlight = new InFlightSends(() => this.book.queued);
  }

  /**
   * Queues a reply and asks for its write to the store (see flush()); refused (with a reason)
   * for unreachable targets, unknown platforms or a full queue. A message whose owner and id
   * are already pending for the target is ignored (`duplicate`).
   */
  enqueue(target: Target, reply: Reply, meta: MessageMeta = {}): EnqueueResult {
    const refusal = this.refusal(target);
    if (refusal) {
      this.counters.refused += 1;
      return { status: 'refused', ...refusal };
    }
    const queue = this.book.queueFor(target);
    const settled = this.book.settledOutcome(queue, meta);
    if (settled) {
      // Already out (or refused) in this run: tell the owner again instead of sending twice.
      if (settled.outcome === 'delivered') this.owners.delivered(meta, target);
      else this.owners.rejected(meta, target, settled.reason);
      return { status: 'queued', position: 0, duplicate: true };
    }
    const pending = this.book.pendingPosition(queue, meta);
    if (pending !== undefined) return { status: 'queued', position: pending, duplicate: true };
    const position = this.book.push(queue, { target, reply, meta, attempts: 0, enqueuedAt: this.now(), cost: this.costOf(target.platform, reply) });
    this.laneFor(target.platform)!.schedule(queue);
    return { status: 'queued', position };
  }

  /** Resolves when every store write asked for so far (enqueues, removals, marks) has landed. */
  async flush(): Promise<void> {
    await Promise.all([this.book.flush(), this.unreachable.flush()]);
  }

  /** Loads what the store holds (queues, unreachable marks) and starts sending. */
  async start(): Promise<void> {
    if (this.stopping) await this.stopping;
    if (this.state === 'running') return;
    this.book.reopen();
    await this.loaded();
    this.state = 'running';
    for (const lane of this.lanes.values()) lane.resume();
    this.forgetTimer = setInterval(() => this.forgetIdleQueues(), FORGET_IDLE_EVERY_MS);
    this.forgetTimer.unref();
  }

  /**
   * Drains for up to `timeoutMs` (unless `drain: false`), then lets the rest wait in the store,
   * where it already is. A send still running at the deadline keeps its message stored: at
   * least once, never lost.
   */
  stop(options: { drain?: boolean; timeoutMs: number }): Promise<void> {
    if (this.state === 'stopped') return Promise.resolve();
    this.stopping ??= this.shutDown(options).finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  /**
   * Cuts a drain short (a second SIGTERM): nothing more is sent, sends on the wire get a
   * moment to finish, and the rest waits in the store, where it already is.
   */
  skipDrain(): void {
    this.drainSkip.skip();
  }

  private async shutDown(options: { drain?: boolean; timeoutMs: number }): Promise<void> {
    const deadline = this.now() + options.timeoutMs;
    const wasRunning = this.state === 'running';
    this.state = 'stopping';
    if (options.drain !== false && wasRunning) await settleWithin(Promise.race([this.whenIdle(), this.drainSkip.whenSkipped()]), options.timeoutMs);
    for (const lane of this.lanes.values()) lane.halt();
    clearInterval(this.forgetTimer);
    const inFlightMs = Math.max(0, deadline - this.now());
    await settleWithin(this.inFlight.settled(), this.drainSkip.skipped ? Math.min(inFlightMs, SKIPPED_IN_FLIGHT_MS) : inFlightMs);
    // Enqueued before a start that never came: the merge with the store must happen before the writes.
    await settleWithin(this.loaded().then(() => this.flush()), Math.max(FLUSH_GRACE_MS, deadline - this.now()));
    const left = this.book.queued;
    if (left > 0) this.options.log.info({ messages: left }, 'outbox: stopped with messages left in the store');
    for (const queue of this.book.closeAndForget()) this.detach(queue);
    for (const lane of this.lanes.values()) lane.clear();
    this.loading = undefined;
    this.drainSkip.reset();
    this.state = 'stopped';
    this.inFlight.notifyIfIdle();
  }

  /** Lets a target receive messages again; resolves once the store forgot the mark. */
  markReachable(target: Target): Promise<boolean> {
    return this.unreachable.delete(targetKey(target));
  }

  isUnreachable(target: Target): boolean {
    return this.unreachable.get(targetKey(target)) !== undefined;
  }

  /** A feature built after the outbox (it needed the PushService first) joins here. */
  registerOwner(name: string, owner: PushOwner): void {
    this.owners.register(name, owner);
  }

  /** What alerts and digests see of the outbox. */
  pushService(): PushService {
    return createPushService(this, this.options.senders);
  }

  /**
   * A place in the target's line for an interactive reply (see PaceTurn). Not running (before
   * start, after stop) or no sender for the platform: a turn that never waits.
   */
  pace(target: Target): PaceTurn {
    const lane = this.state === 'running' ? this.laneFor(target.platform) : undefined;
    if (!lane || this.unreachable.get(targetKey(target))) return ReplyTurn.unpaced();
    return lane.openTurn(this.book.queueFor(target));
  }

  stats(): OutboxStats {
    return {
      state: this.state,
      queued: this.book.queued,
      inFlight: this.inFlight.size,
      targets: [...this.book.all()].filter((queue) => queue.messages.length > 0).length,
      unreachable: this.unreachable.size,
      ...this.counters,
    };
  }

  /** Resolves once nothing is queued or in flight. */
  whenIdle(): Promise<void> {
    return this.inFlight.whenIdle();
  }

  private refusal(target: Target): { code: RefusalCode; reason: string } | undefined {
    const key = targetKey(target);
    const hasSender = !!this.options.senders[target.platform];
    const queued = this.book.get(key)?.messages.length ?? 0;
    const unreachableReason = this.unreachable.get(key)?.reason;
    return refusalFor({ key, platform: target.platform, stopped: this.state === 'stopped', unreachableReason, hasSender, queued, maxQueue: this.limits.maxQueuePerTarget });
  }

  private costOf(platform: Platform, reply: Reply): number {
    const parts = this.options.senders[platform]?.partsOf?.(reply) ?? 1;
    return Number.isFinite(parts) && parts >= 1 ? Math.ceil(parts) : 1;
  }

  private laneFor(platform: Platform): SendLane | undefined {
    let lane = this.lanes.get(platform);
    if (!lane && this.options.senders[platform]) {
      const pacesParts = this.options.senders[platform]?.pacesParts === true;
      lane = new SendLane(this.limits.platforms[platform], this.now, (queue, pace) => this.deliver(queue, pace), pacesParts);
      if (this.state === 'running') lane.resume();
      this.lanes.set(platform, lane);
    }
    return lane;
  }

  /** Sends the head of a queue and acts on the outcome; never rejects. */
  private deliver(queue: TargetQueue, pace?: PaceTurn): Promise<void> {
    const message = queue.messages[0]!;
    message.attempts += 1;
    const sender = this.options.senders[queue.target.platform]!;
    const sending = attemptSend(sender, message, pace)
      .then((outcome) => {
        if (!queue.detached) this.settle(queue, outcome);
      })
      .catch((error: unknown) => this.options.log.warn({ target: queue.key, err: error }, 'outbox: handling a send outcome failed'));
    return this.inFlight.track(sending);
  }

  private settle(queue: TargetQueue, outcome: SendOutcome): void {
    const message = queue.messages[0]!;
    const { owner, id } = message.meta;
    if (outcome.status === 'sent') {
      this.book.shift(queue, { outcome: 'delivered' });
      this.counters.sent += 1;
      this.owners.delivered(message.meta, queue.target);
    } else if (outcome.status === 'rejected') {
      this.book.shift(queue, { outcome: 'rejected', reason: outcome.reason });
      this.counters.rejected += 1;
      this.options.log.warn({ target: queue.key, owner, id, reason: outcome.reason }, 'outbox: message rejected by the platform, dropped');
      this.owners.rejected(message.meta, queue.target, outcome.reason);
    } else if (outcome.status === 'retry-later') {
      this.counters.retried += 1;
      if (message.attempts >= this.limits.maxAttempts) {
        this.book.shift(queue);
        this.counters.gaveUp += 1;
        this.options.log.warn({ target: queue.key, owner, id, attempts: message.attempts, reason: outcome.reason }, 'outbox: gave up on a message');
        // To its owner a message given up is as lost as a refused one.
        this.owners.rejected(message.meta, queue.target, `gave up after ${message.attempts} attempts: ${outcome.reason}`);
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
    const dropped = this.book.drop(queue);
    this.detach(queue);
    this.counters.dropped += dropped;
    this.unreachable.set(queue.key, { target: queue.target, reason, since: this.now() });
    this.options.log.warn({ target: queue.key, reason, dropped }, 'outbox: target unreachable, queue dropped');
    this.owners.unreachable(queue.target, reason);
  }

  /** A late completion must not revive the queue, and a reply waiting on it must not hang. */
  private detach(queue: TargetQueue): void {
    queue.detached = true;
    for (const turn of queue.turns.splice(0)) turn.letGo();
  }

  /** The store's content, merged once per run; a failed read is tried again by the next caller. */
  private loaded(): Promise<void> {
    this.loading ??= this.load().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    await this.unreachable.load();
    await restoreQueues({
      book: this.book,
      marks: this.unreachable,
      log: this.options.log,
      hasSender: (platform) => !!this.options.senders[platform],
      costOf: (platform, reply) => this.costOf(platform, reply),
      schedule: (queue) => this.laneFor(queue.target.platform)!.schedule(queue),
    });
  }

  private forgetIdleQueues(): void {
    this.book.forgetIdle((queue) => this.laneFor(queue.target.platform)!.canForget(queue));
  }
}
