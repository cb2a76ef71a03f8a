/**
 * Stores in memory for benches: seeding 10,000 chats or rules through SQLite costs ~4 ms a
 * write, which is set-up, not what a scenario measures. The atomic operations are trivially
 * atomic here (one process, one map); TTLs are ignored (no bench outlives them). `writes`
 * counts every stored value, so a scenario can report its store writes.
 */
import { sameValue, type AtomicStore, type AtomicStoreFactory } from '../src/store/index.js';

export function memoryStores(): AtomicStoreFactory & { writes: () => number } {
  let writes = 0;
  return {
    open<T>(): AtomicStore<T> {
      const map = new Map<string, T>();
      const put = (key: string, value: T) => {
        writes += 1;
        map.set(key, structuredClone(value));
      };
      return {
        get: async (key: string) => map.get(key),
        set: async (key: string, value: T) => put(key, value),
        delete: async (key: string) => map.delete(key),
        entries: async function* () {
          yield* [...map.entries()];
        },
        setIfAbsent: async (key: string, value: T) => {
          if (map.has(key)) return false;
          put(key, value);
          return true;
        },
        compareAndSet: async (key: string, expected: T | undefined, next: T | undefined) => {
          if (!sameValue(map.get(key), expected)) return false;
          if (next === undefined) map.delete(key);
          else put(key, next);
          return true;
        },
      };
    },
    verify: async () => undefined,
    close: async () => undefined,
    writes: () => writes,
  } as AtomicStoreFactory & { writes: () => number };
}
