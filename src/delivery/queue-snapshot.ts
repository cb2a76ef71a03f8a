import type { KeyValueStore } from '../store/index.js';
import { type PendingMessage, type QueuedMessage, toQueued } from './queued-message.js';

/**
 * The outbox's queues as stored between runs, one entry per target key. Keys loaded at start
 * stay in the store until the next save rewrites or deletes them, so a crash after start
 * re-sends (at least once) rather than loses.
 */
export class QueueSnapshot {
  private stored = new Set<string>();

  constructor(private readonly store: KeyValueStore<QueuedMessage[]>) {}

  async load(): Promise<Map<string, QueuedMessage[]>> {
    const loaded = new Map<string, QueuedMessage[]>();
    for await (const [key, messages] of this.store.entries()) {
      this.stored.add(key);
      if (Array.isArray(messages) && messages.length > 0) loaded.set(key, messages);
    }
    return loaded;
  }

  /** A loaded entry nobody took over (no sender for its platform): leave it for a later run. */
  keep(key: string): void {
    this.stored.delete(key);
  }

  /** Writes every non-empty queue and deletes stored keys that have nothing left. */
  async save(queues: Iterable<{ key: string; messages: PendingMessage[] }>): Promise<{ targets: number; messages: number }> {
    const stale = new Set(this.stored);
    const written = new Set<string>();
    const work: Promise<unknown>[] = [];
    let messages = 0;
    for (const queue of queues) {
      if (queue.messages.length === 0) continue;
      stale.delete(queue.key);
      written.add(queue.key);
      messages += queue.messages.length;
      work.push(this.store.set(queue.key, queue.messages.map(toQueued)));
    }
    for (const key of stale) work.push(this.store.delete(key));
    await Promise.all(work);
    this.stored = written;
    return { targets: written.size, messages };
  }
}
