/**
 * Read-modify-write on one key shared by replicas: read, decide, compare-and-set, and start
 * again from the new value when another writer got there first. Every shared counter, claim
 * and hint basisbot keeps (alert ids, the change feed's head, digest slot claims) is one call.
 */
import type { AtomicStore } from './index.js';

/** What `decide` returns: the value to write and the caller's result, or just a result (nothing to write). */
export type Decision<T, R> = { write: T | undefined; result: R } | { result: R };

/** Applies `decide` to the current value until its write lands (or it decides to write nothing); its result. */
export async function updateAtomically<T, R>(store: AtomicStore<T>, key: string, decide: (current: T | undefined) => Decision<T, R>): Promise<R> {
  for (;;) {
    const current = await store.get(key);
    const decision = decide(current);
    if (!('write' in decision)) return decision.result;
    if (await store.compareAndSet(key, current, decision.write)) return decision.result;
  }
}

/** Adds `by` to a number stored under `key` (absent counts as `floor`), atomically; returns the value before. */
export function fetchAndAdd(store: AtomicStore<unknown>, key: string, by: number, floor = 0): Promise<number> {
  return updateAtomically(store, key, (current) => {
    const from = Math.max((current as number | undefined) ?? floor, floor);
    return { write: from + by, result: from };
  });
}

/** Reads `keys` in parallel batches (one round trip's latency per batch, bounded fan-out), results in order. */
export async function readInBatches<K, V>(keys: readonly K[], read: (key: K) => Promise<V>, batch = 64): Promise<V[]> {
  const values: V[] = [];
  for (let start = 0; start < keys.length; start += batch) values.push(...(await Promise.all(keys.slice(start, start + batch).map(read))));
  return values;
}
