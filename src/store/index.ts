import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Keyv from 'keyv';
import type KeyvRedis from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import { ConfigError } from '../config.js';
import { atomicOps, type AtomicOps, type RawBackend } from './atomic.js';
import { redisBackend, sqliteBackend } from './backends.js';

export { canonicalJson, sameValue, type AtomicOps } from './atomic.js';

/**
 * The small storage surface the rest of basisbot uses, so only this folder knows keyv.
 * Values are JSON-serialisable; each namespace is its own key space.
 */
export interface KeyValueStore<T> {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** Every entry of the namespace, for start-up loads (subscriptions, queued messages). */
  entries(): AsyncIterable<[string, T]>;
}

/** A namespace with the atomic operations too (leases, claims, ids shared by replicas). */
export interface AtomicStore<T> extends KeyValueStore<T>, AtomicOps<T> {}

export interface StoreFactory {
  open<T>(namespace: string): KeyValueStore<T>;
  /**
   * Proves the store answers, within `timeoutMs` (default 5 s), or throws a ConfigError
   * naming STORE_URL. Call once at start: keyv's Redis client otherwise retries an
   * unreachable server forever and the bot hangs without a word.
   */
  verify(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** What createStoreFactory returns: every namespace it opens is atomic-capable. */
export interface AtomicStoreFactory extends StoreFactory {
  open<T>(namespace: string): AtomicStore<T>;
}

export interface StoreSettings {
  dataDir: string;
  /** `redis://…` to share state between replicas; SQLite under dataDir otherwise. */
  url?: string;
  /** Prepended to every namespace: two bots (or test runs) on one Redis keep apart. */
  prefix?: string;
}

function wrap<T>(keyv: Keyv<T>, backend: RawBackend, rawKeyOf: (key: string) => string, sqlite: boolean): AtomicStore<T> {
  const atomic = atomicOps(keyv, backend, rawKeyOf);
  return {
    ...atomic,
    get: sqlite ? (key) => getWithoutRace(keyv, backend, rawKeyOf(key)) : (key) => keyv.get(key),
    set: async (key, value, ttlMs) => {
      await keyv.set(key, value, ttlMs);
    },
    delete: (key) => keyv.delete(key),
    entries: async function* () {
      if (!keyv.iterator) throw new Error('this store cannot list its entries');
      for await (const [key, value] of keyv.iterator(undefined) as AsyncGenerator<[string, T]>) {
        if (value !== undefined) yield [key, value];
      }
    },
  };
}

/**
 * keyv's get() deletes an expired SQLite row with a plain DELETE, which could remove a value
 * setIfAbsent had just put in its place; this deletes only the exact expired bytes it read.
 */
async function getWithoutRace<T>(keyv: Keyv<T>, backend: RawBackend, rawKey: string): Promise<T | undefined> {
  const raw = await backend.read(rawKey);
  if (raw === undefined) return undefined;
  const stored = (await keyv.deserialize!(raw)) as { value: T; expires?: number | null } | undefined;
  if (typeof stored?.expires === 'number' && stored.expires <= Date.now()) {
    await backend.replaceIf(rawKey, raw, undefined, undefined);
    return undefined;
  }
  return stored?.value;
}

/**
 * Makes sure DATA_DIR is a directory basisbot can write (mkdir -p, then a probe file
 * written and removed), synchronously, so a bad DATA_DIR (a path through a file, /proc,
 * a read-only mount) stops start-up with one line instead of a raw ENOTDIR stack or
 * venues that "time out" because their market cache cannot be written.
 */
export function checkDataDir(dir: string): void {
  const probe = path.join(dir, `.basisbot-probe-${process.pid}`);
  try {
    makeDirectories(path.resolve(dir));
    fs.writeFileSync(probe, 'ok');
    fs.rmSync(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOTDIR' ? 'a part of the path is a file, not a directory'
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : code === 'EROFS' ? 'the file system is read-only'
      : code === 'ENOENT' ? 'the directory cannot be created there'
      : code === 'EEXIST' ? 'it exists and is not a directory'
      : ((error as Error).message.split('\n')[0] ?? String(error));
    throw new ConfigError(`DATA_DIR=${dir} is not a writable directory: ${reason}${code ? ` (${code})` : ''}`);
  }
}

/**
 * mkdir -p one level at a time. Node's own recursive mkdir loops forever under /proc
 * (ENOENT on the child, EEXIST on the parent, again), which is how a DATA_DIR there
 * used to hang every market cache write until the venue timed out.
 */
function makeDirectories(dir: string): void {
  const missing: string[] = [];
  let current = dir;
  while (!fs.existsSync(current)) {
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  if (!fs.statSync(current).isDirectory()) throw Object.assign(new Error(`${current} is not a directory`), { code: 'ENOTDIR' });
  for (const level of missing) fs.mkdirSync(level);
}

type RedisModule = typeof import('@keyv/redis');
let redisModule: RedisModule | undefined;
/**
 * @keyv/redis and node-redis under it cost about 0.3 s of CPU to load, which every SQLite
 * process (each `basisbot ask`) used to pay: they load, synchronously, only for a Redis URL.
 */
function redis(): RedisModule {
  redisModule ??= createRequire(import.meta.url)('@keyv/redis') as RedisModule;
  return redisModule;
}

/** Rejects with a ConfigError naming STORE_URL when `work` takes longer than `ms`. */
async function within<T>(work: Promise<T>, ms: number, url: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConfigError(`STORE_URL=${redactUrl(url)}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The URL without its password, for error messages. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** Connects once with no reconnects, PINGs, and disconnects. */
async function verifyRedis(url: string, timeoutMs: number): Promise<void> {
  const client = redis().createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } });
  let socketError: Error | undefined;
  // node-redis reports the socket's own error (ECONNREFUSED…) here; connect() only says "closed".
  client.on('error', (error: Error) => (socketError ??= error));
  try {
    await within(
      (async () => {
        await client.connect();
        await client.ping();
      })(),
      timeoutMs,
      url,
    );
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const cause = socketError ?? error;
    const reason = cause instanceof Error ? cause.message.split('\n')[0] || cause.name : String(cause);
    throw new ConfigError(`STORE_URL=${redactUrl(url)}: cannot connect (${reason})`);
  } finally {
    if (client.isOpen) client.destroy(); // destroy() throws on a client that never opened
  }
}

/** Opens keyv namespaces on SQLite (default, a file under DATA_DIR) or Redis. */
export function createStoreFactory(settings: StoreSettings): AtomicStoreFactory {
  // DATA_DIR holds the market cache and charts whatever the store, so check it always.
  checkDataDir(settings.dataDir);
  const opened: Keyv[] = [];
  const adapterFor = (): KeyvRedis<unknown> | KeyvSqlite => {
    if (settings.url?.startsWith('redis')) return new (redis().default)(settings.url);
    const file = settings.url?.startsWith('sqlite://') ? settings.url.slice('sqlite://'.length) : path.join(settings.dataDir, 'basisbot.sqlite');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5_000 });
  };
  const isRedis = Boolean(settings.url?.startsWith('redis'));
  return {
    async verify(timeoutMs = 5_000) {
      if (isRedis) return verifyRedis(settings.url!, timeoutMs);
      // SQLite: one read through a real namespace proves the file opens.
      const probe = new Keyv({ store: adapterFor(), namespace: 'verify' });
      try {
        await within(probe.get('probe'), timeoutMs, settings.url ?? `sqlite under ${settings.dataDir}`);
      } finally {
        await probe.disconnect();
      }
    },
    open<T>(name: string): AtomicStore<T> {
      const namespace = `${settings.prefix ?? ''}${name}`;
      const adapter = adapterFor();
      const keyv = new Keyv<T>({ store: adapter, namespace });
      opened.push(keyv as Keyv);
      // The key keyv itself writes: `ns:key` on SQLite, `ns::ns:key` on Redis (adapter prefix too).
      // Told apart by shape: an instanceof would load @keyv/redis for SQLite too.
      if ('createKeyPrefix' in adapter) {
        return wrap(keyv, redisBackend(adapter), (key) => adapter.createKeyPrefix(`${namespace}:${key}`, namespace), false);
      }
      return wrap(keyv, sqliteBackend(adapter), (key) => `${namespace}:${key}`, true);
    },
    close: async () => {
      await Promise.all(opened.map((keyv) => keyv.disconnect()));
    },
  };
}
