import { type Target, targetKey } from '../core/adapter.js';
import type { KeyValueStore } from '../store/index.js';
import { DurableQueues } from './durable-queues.js';
import type { TargetQueue } from './lane.js';
import { idKey, type MessageMeta, type PendingMessage, type QueuedMessage } from './queued-message.js';
import { SettledIds, type Settled } from './settled-ids.js';

/**
 * The outbox's queues in memory, mirrored to the store: every change to a queue goes through
 * here, so every change is written through (see DurableQueues), and the index of pending
 * message ids (owner + id per target) can never drift from the queues themselves.
 */
export class QueueBook {
  private readonly queues = new Map<string, TargetQueue>();
  private readonly ids = new Set<string>();
  /** Ids settled in this run, kept past their queue: see SettledIds. */
  private readonly settled = new SettledIds();
  private count = 0;
  private readonly durable: DurableQueues;

  constructor(
    store: KeyValueStore<QueuedMessage[]>,
    private readonly newQueue: (key: string, target: Target) => TargetQueue,
    onWriteError: (key: string, error: unknown) => void,
    loaded: () => Promise<void>,
  ) {
    this.durable = new DurableQueues(store, (key) => this.queues.get(key)?.messages, onWriteError, loaded);
  }

  /** Messages queued over all targets. */
  get queued(): number {
    return this.count;
  }

  get(key: string): TargetQueue | undefined {
    return this.queues.get(key);
  }

  all(): IterableIterator<TargetQueue> {
    return this.queues.values();
  }

  queueFor(target: Target): TargetQueue {
    const key = targetKey(target);
    let queue = this.queues.get(key);
    if (!queue) {
      queue = this.newQueue(key, target);
      this.queues.set(key, queue);
    }
    return queue;
  }

  /** The 1-based position of a pending message with the same owner and id, if there is one. */
  pendingPosition(queue: TargetQueue, meta: MessageMeta): number | undefined {
    const id = idKey(queue.key, meta);
    if (id === undefined || !this.ids.has(id)) return undefined;
    return queue.messages.findIndex((message) => idKey(queue.key, message.meta) === id) + 1;
  }

  /** Appends a message; returns its position. */
  push(queue: TargetQueue, message: PendingMessage): number {
    this.remember(queue.key, message);
    queue.messages.push(message);
    this.count += 1;
    this.durable.touch(queue.key);
    return queue.messages.length;
  }

  /** How a message with this owner and id already ended in this run (delivered or refused), if it did. */
  settledOutcome(queue: TargetQueue, meta: MessageMeta): Settled | undefined {
    const id = idKey(queue.key, meta);
    return id === undefined ? undefined : this.settled.get(id);
  }

  /** Removes the head (accepted, rejected or given up); an accepted or refused id is remembered as settled. */
  shift(queue: TargetQueue, settled?: Settled): void {
    const message = queue.messages.shift()!;
    const id = idKey(queue.key, message.meta);
    if (settled && id !== undefined) this.settled.record(id, settled);
    this.forget(queue.key, message);
    this.count -= 1;
    this.durable.touch(queue.key);
  }

  /** Forgets a queue and its messages, here and in the store; returns how many were dropped. */
  drop(queue: TargetQueue): number {
    const dropped = queue.messages.length;
    for (const message of queue.messages) this.forget(queue.key, message);
    this.count -= dropped;
    queue.messages.length = 0;
    this.queues.delete(queue.key);
    this.durable.touch(queue.key);
    return dropped;
  }

  /** Puts stored (older) messages ahead of those enqueued before the load; a pending id counts once. */
  merge(queue: TargetQueue, older: PendingMessage[]): void {
    const olderIds = new Set(older.map((message) => idKey(queue.key, message.meta)));
    const newer = queue.messages.filter((message) => !olderIds.has(idKey(queue.key, message.meta) ?? '\u0000none'));
    this.count += older.length + newer.length - queue.messages.length;
    queue.messages.splice(0, queue.messages.length, ...older, ...newer);
    for (const message of older) this.remember(queue.key, message);
    // The stored entry is current unless messages enqueued before the load joined it.
    if (newer.length > 0) this.durable.touch(queue.key);
  }

  /** A stored queue left behind on purpose (its target is unreachable): delete it from the store. */
  discardStored(key: string): void {
    this.durable.touch(key);
  }

  read(): Promise<Map<string, QueuedMessage[]>> {
    return this.durable.read();
  }

  flush(): Promise<void> {
    return this.durable.flush();
  }

  reopen(): void {
    this.durable.reopen();
  }

  /** At stop: forgets everything in memory while the store keeps it for the next start. */
  closeAndForget(): TargetQueue[] {
    this.durable.close();
    const queues = [...this.queues.values()];
    this.queues.clear();
    this.ids.clear();
    this.count = 0;
    return queues;
  }

  /** Drops the bookkeeping of idle targets (their limits no longer bind). */
  forgetIdle(canForget: (queue: TargetQueue) => boolean): void {
    for (const [key, queue] of this.queues) if (canForget(queue)) this.queues.delete(key);
  }

  private remember(key: string, message: PendingMessage): void {
    const id = idKey(key, message.meta);
    if (id !== undefined) this.ids.add(id);
  }

  private forget(key: string, message: PendingMessage): void {
    const id = idKey(key, message.meta);
    if (id !== undefined) this.ids.delete(id);
  }
}
