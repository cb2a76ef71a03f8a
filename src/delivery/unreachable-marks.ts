import type { Target } from '../core/adapter.js';
import type { KeyValueStore } from '../store/index.js';
import { WriteChain } from './write-chain.js';

export interface UnreachableMark {
  target: Target;
  reason: string;
  since: number;
}

/**
 * Targets that stopped accepting messages (blocked the bot, left the chat), kept across
 * restarts so a restart does not hammer every blocked user again (platforms ban bots that
 * keep making refused requests). Reads are synchronous from memory, loaded at start; every
 * change is written through. Without a store the marks live for the process only.
 */
export class UnreachableMarks {
  private readonly marks = new Map<string, UnreachableMark>();
  /** Keys changed before the load: the store's older value must not overwrite them. */
  private readonly changedBeforeLoad = new Set<string>();
  private loadedOnce = false;
  private readonly chain: WriteChain | undefined;

  constructor(
    private readonly store: KeyValueStore<UnreachableMark> | undefined,
    onError: (key: string, error: unknown) => void,
    loaded: () => Promise<void>,
  ) {
    this.chain =
      store &&
      new WriteChain(
        async (key) => {
          const mark = this.marks.get(key);
          if (mark) await store.set(key, mark);
          else await store.delete(key);
        },
        onError,
        loaded,
      );
  }

  async load(): Promise<void> {
    if (this.store) {
      for await (const [key, mark] of this.store.entries()) {
        if (!this.changedBeforeLoad.has(key) && mark?.target) this.marks.set(key, mark);
      }
    }
    this.loadedOnce = true;
  }

  get(key: string): UnreachableMark | undefined {
    return this.marks.get(key);
  }

  get size(): number {
    return this.marks.size;
  }

  set(key: string, mark: UnreachableMark): void {
    this.marks.set(key, mark);
    this.changed(key);
  }

  /** Clears a mark; resolves once the store forgot it too. False when there was none. */
  async delete(key: string): Promise<boolean> {
    const had = this.marks.delete(key);
    this.changed(key);
    await this.chain?.flush();
    return had;
  }

  flush(): Promise<void> {
    return this.chain?.flush() ?? Promise.resolve();
  }

  private changed(key: string): void {
    if (!this.loadedOnce) this.changedBeforeLoad.add(key);
    this.chain?.touch(key);
  }
}
