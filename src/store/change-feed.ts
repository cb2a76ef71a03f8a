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
import { readInBatches, updateAtomically } from './atomic-update.js';
import type { AtomicStore, AtomicStoreFactory } from './index.js';

const HEAD = 'head';
const entryKey = (n: number) => `c${n}`;
const WEEK_MS = 7 * 86_400_000;
const READ_BATCH = 256;

export type ChangesSince =
  /** The keys changed after `seen` (in order, maybe repeated), and the number read up to. */
  | { kind: 'changes'; keys: string[]; seen: number }
  /** Entries are missing: reload everything, then carry on from `seen`. */
  | { kind: 'gap'; seen: number };

export class ChangeFeed {
  private readonly store: AtomicStore<string | number>;

  constructor(stores: AtomicStoreFactory, namespace: string, private readonly ttlMs = WEEK_MS) {
    this.store = stores.open<string | number>(namespace);
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
    return updateAtomically(this.store, HEAD, (head) => (typeof head === 'number' && head >= n ? { result: n } : { write: n, result: n }));
  }

  /** What changed after `seen`: one read when nothing did, one more batch of reads otherwise. */
  async since(seen: number): Promise<ChangesSince> {
    const head = await this.head();
    if (head === seen) return { kind: 'changes', keys: [], seen };
    if (head < seen) return { kind: 'gap', seen: head };
    // In parallel batches: a replica back from a long pause may have thousands to read.
    const numbers = Array.from({ length: head - seen }, (_, i) => seen + 1 + i);
    const keys = await readInBatches(numbers, (n) => this.store.get(entryKey(n)), READ_BATCH);
    if (keys.some((key) => typeof key !== 'string')) return { kind: 'gap', seen: head };
    return { kind: 'changes', keys: keys as string[], seen: head };
  }
}
