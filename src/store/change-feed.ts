/**
 * A shared, numbered log of "this key changed", so a replica that keeps a namespace in memory
 * (the lease holder's alert book, its digest schedules) re-reads only what other replicas
 * changed instead of the whole namespace. Entry n is claimed with set-if-absent, so two
 * writers never share a number and the log has no holes; `head` is a hint (the highest
 * number claimed, advanced by compare-and-set) that lets a reader ask "anything new?" with
 * one read.
 *
 * Entries expire (a week by default) so the log does not grow forever; a reader that finds a
 * number under `head` gone (it slept past the expiry, or the store was wiped) is told `gap`
 * and reloads the namespace.
 */
import type { AtomicStore, KeyValueStore, StoreFactory } from './index.js';

const HEAD = 'head';
const entryKey = (n: number) => `c${n}`;
const WEEK_MS = 7 * 86_400_000;
const READ_BATCH = 256;

export type ChangesSince =
  /** The keys changed after `seen` (in order, maybe repeated), and the number read up to. */
  | { kind: 'changes'; keys: string[]; seen: number }
  /** Entries are missing: reload everything, then carry on from `seen`. */
  | { kind: 'gap'; seen: number };

/** Every namespace createStoreFactory opens is atomic; a plain one here is a wiring mistake. */
export function openAtomic<T>(stores: StoreFactory, namespace: string): AtomicStore<T> {
  const store: KeyValueStore<T> = stores.open<T>(namespace);
  if (!('compareAndSet' in store) || !('setIfAbsent' in store)) throw new Error(`store namespace ${namespace} has no atomic operations`);
  return store as AtomicStore<T>;
}

/** Adds `by` to a number stored under `key` (absent counts as `floor`), atomically; returns the value before. */
export async function fetchAndAdd(store: AtomicStore<unknown>, key: string, by: number, floor = 0): Promise<number> {
  for (;;) {
    const current = (await store.get(key)) as number | undefined;
    const from = Math.max(current ?? floor, floor);
    if (await store.compareAndSet(key, current, from + by)) return from;
  }
}

export class ChangeFeed {
  private readonly store: AtomicStore<string | number>;

  constructor(stores: StoreFactory, namespace: string, private readonly ttlMs = WEEK_MS) {
    this.store = openAtomic<string | number>(stores, namespace);
  }

  /** The highest number claimed so far (0 when nothing was ever published). */
  async head(): Promise<number> {
    const head = await this.store.get(HEAD);
    return typeof head === 'number' ? head : 0;
  }

  /** Announces that `key` changed (call after writing it); returns its number. */
  async publish(key: string): Promise<number> {
    let n = (await this.head()) + 1;
    while (!(await this.store.setIfAbsent(entryKey(n), key, this.ttlMs))) n += 1;
    // Advance the hint; another writer may have moved it past n already.
    for (;;) {
      const head = await this.store.get(HEAD);
      if (typeof head === 'number' && head >= n) break;
      if (await this.store.compareAndSet(HEAD, head, n)) break;
    }
    return n;
  }

  /** What changed after `seen`: one read when nothing did, one more batch of reads otherwise. */
  async since(seen: number): Promise<ChangesSince> {
    const head = await this.head();
    if (head === seen) return { kind: 'changes', keys: [], seen };
    if (head < seen) return { kind: 'gap', seen: head };
    const keys: string[] = [];
    // In parallel batches: a replica back from a long pause may have thousands to read.
    for (let from = seen + 1; from <= head; from += READ_BATCH) {
      const numbers = Array.from({ length: Math.min(READ_BATCH, head - from + 1) }, (_, i) => from + i);
      const batch = await Promise.all(numbers.map((n) => this.store.get(entryKey(n))));
      if (batch.some((key) => typeof key !== 'string')) return { kind: 'gap', seen: head };
      keys.push(...(batch as string[]));
    }
    return { kind: 'changes', keys, seen: head };
  }
}
