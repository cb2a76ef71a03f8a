/**
 * The two atomic operations a lease and exactly-once delivery need, on top of keyv:
 * set-if-absent (with a TTL) and compare-and-set. keyv has neither, so each backend does
 * the one step that must be atomic on the server (SQLite: one conditional statement;
 * Redis: SET NX or one Lua script), on the very bytes keyv reads and writes, so `get`,
 * `set` and `entries` see what these wrote and the other way round.
 *
 * Compare-and-set compares values (canonical JSON, key order ignored), then replaces only
 * if the stored bytes are still the ones that were compared: any write in between (even a
 * plain `set` from another replica) makes it fail rather than be overwritten.
 */
import type Keyv from 'keyv';

/** One backend's atomic primitives, on raw (serialized) values under raw (prefixed) keys. */
export interface RawBackend {
  /** The stored bytes, or undefined when absent. */
  read(rawKey: string): Promise<string | undefined>;
  /** Writes only if the key is absent or holds a value keyv considers expired at `now`. */
  insertIfAbsent(rawKey: string, raw: string, ttlMs: number | undefined, now: number): Promise<boolean>;
  /** Replaces (or deletes, when `next` is undefined) only if the key still holds `current`. */
  replaceIf(rawKey: string, current: string, next: string | undefined, ttlMs: number | undefined): Promise<boolean>;
}

export interface AtomicOps<T> {
  /** Stores the value only when the key is absent (or expired); true when it was stored. */
  setIfAbsent(key: string, value: T, ttlMs?: number): Promise<boolean>;
  /**
   * Replaces the value only if the current one equals `expected` (undefined: absent or
   * expired); `next` undefined deletes. True when the swap happened.
   */
  compareAndSet(key: string, expected: T | undefined, next: T | undefined, ttlMs?: number): Promise<boolean>;
}

interface Stored<T> {
  value: T;
  expires?: number;
}

/** JSON with object keys sorted, so equal values compare equal whatever order built them. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      return Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return inner;
  });
}

export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

// A swap that lost a race is retried while the value still equals `expected` (another writer
// rewrote the same value, or refreshed its TTL); past this, the caller sees a plain failure.
const MAX_RACES = 8;

export function atomicOps<T>(keyv: Keyv<T>, backend: RawBackend, rawKeyOf: (key: string) => string): AtomicOps<T> {
  const encode = async (value: T, ttlMs: number | undefined): Promise<string> => {
    const expires = ttlMs !== undefined && ttlMs > 0 ? Date.now() + ttlMs : undefined;
    return (await keyv.serialize!({ value, expires } as Stored<T>)) as string;
  };
  /** The stored bytes and the live value they hold (undefined when absent or expired). */
  const load = async (rawKey: string): Promise<{ raw?: string; value?: T }> => {
    const raw = await backend.read(rawKey);
    if (raw === undefined) return {};
    const stored = (await keyv.deserialize!(raw)) as Stored<T> | undefined;
    const expired = typeof stored?.expires === 'number' && stored.expires <= Date.now();
    return { raw, value: expired ? undefined : stored?.value };
  };
  const ttlOf = (ttlMs: number | undefined) => (ttlMs !== undefined && ttlMs > 0 ? ttlMs : undefined);

  return {
    async setIfAbsent(key, value, ttlMs) {
      return backend.insertIfAbsent(rawKeyOf(key), await encode(value, ttlMs), ttlOf(ttlMs), Date.now());
    },
    async compareAndSet(key, expected, next, ttlMs) {
      const rawKey = rawKeyOf(key);
      const nextRaw = next === undefined ? undefined : await encode(next, ttlMs);
      for (let attempt = 0; attempt < MAX_RACES; attempt += 1) {
        const current = await load(rawKey);
        if (!sameValue(current.value, expected)) return false;
        let swapped: boolean;
        if (current.raw === undefined) {
          // Expected absent and it is: create (a delete of nothing is trivially done).
          if (nextRaw === undefined) return true;
          swapped = await backend.insertIfAbsent(rawKey, nextRaw, ttlOf(ttlMs), Date.now());
        } else {
          swapped = await backend.replaceIf(rawKey, current.raw, nextRaw, ttlOf(ttlMs));
        }
        if (swapped) return true;
      }
      return false;
    },
  };
}
