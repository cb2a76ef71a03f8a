import type { KeyValueStore } from '../store/index.js';
import { type PendingMessage, type QueuedMessage, toQueued } from './queued-message.js';
import { WriteChain } from './write-chain.js';

/**
 * The store as the source of truth for the outbox's queues, one entry per target key,
 * written through on every change: a message is in the store before it can be sent and
 * leaves it once the platform accepted it or it was dropped. A process killed at any point
 * (SIGKILL, a second SIGTERM mid-shutdown) therefore loses nothing and, on restart, re-sends
 * nothing that was accepted, with one exception: a message the platform accepted in the
 * few milliseconds before its removal reached the store goes out again. That window is one
 * send-to-write round trip per target, because the removal is asked for the moment the
 * outcome arrives and writes of a key never wait behind other keys.
 */
export class DurableQueues {
  private readonly chain: WriteChain;
  /** Off once the outbox stopped and forgot its queues: an empty memory must not empty the store. */
  private open = true;

  constructor(
    private readonly store: KeyValueStore<QueuedMessage[]>,
    /** The key's queue in memory now; undefined or empty when nothing is left. */
    current: (key: string) => PendingMessage[] | undefined,
    onError: (key: string, error: unknown) => void,
    /** Resolves once the outbox has merged what the store held (writes wait for it). */
    loaded: () => Promise<void>,
  ) {
    this.chain = new WriteChain(
      async (key) => {
        // After stop the memory is empty on purpose; a write left over must not empty the store.
        if (!this.open) return;
        const messages = current(key);
        if (messages && messages.length > 0) await this.store.set(key, messages.map(toQueued));
        else await this.store.delete(key);
      },
      onError,
      loaded,
    );
  }

  async read(): Promise<Map<string, QueuedMessage[]>> {
    const stored = new Map<string, QueuedMessage[]>();
    for await (const [key, messages] of this.store.entries()) {
      if (Array.isArray(messages) && messages.length > 0) stored.set(key, messages);
    }
    return stored;
  }

  /** The key's queue changed: write its new state. */
  touch(key: string): void {
    if (this.open) this.chain.touch(key);
  }

  flush(): Promise<void> {
    return this.chain.flush();
  }

  /** Stops writing (the outbox forgets its queues at stop) until `reopen`. */
  close(): void {
    this.open = false;
  }

  reopen(): void {
    this.open = true;
  }
}
