import fs from 'node:fs';
import path from 'node:path';
import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';

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

export interface StoreFactory {
  open<T>(namespace: string): KeyValueStore<T>;
  close(): Promise<void>;
}

export interface StoreSettings {
  dataDir: string;
  /** `redis://…` to share state between replicas; SQLite under dataDir otherwise. */
  url?: string;
}

function wrap<T>(keyv: Keyv<T>): KeyValueStore<T> {
  return {
    get: (key) => keyv.get(key),
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

/** Opens keyv namespaces on SQLite (default, a file under DATA_DIR) or Redis. */
export function createStoreFactory(settings: StoreSettings): StoreFactory {
  const opened: Keyv[] = [];
  const adapterFor = (): KeyvRedis<unknown> | KeyvSqlite => {
    if (settings.url?.startsWith('redis')) return new KeyvRedis(settings.url);
    const file = settings.url?.startsWith('sqlite://') ? settings.url.slice('sqlite://'.length) : path.join(settings.dataDir, 'basisbot.sqlite');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5_000 });
  };
  return {
    open<T>(namespace: string) {
      const keyv = new Keyv<T>({ store: adapterFor(), namespace });
      opened.push(keyv as Keyv);
      return wrap(keyv);
    },
    close: async () => {
      await Promise.all(opened.map((keyv) => keyv.disconnect()));
    },
  };
}
