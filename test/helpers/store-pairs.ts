/**
 * Two store factories on one backend, as two replicas (or two processes on one SQLite file)
 * see it: the store contract, the change feed, slot claims and the shared alert book all
 * race two connections. Redis runs when REDIS_URL is set (CI sets it); each pair gets its own
 * key prefix there, and everything is closed and removed after the file's tests.
 */
import fs from 'node:fs';
import { afterAll } from 'vitest';
import { createStoreFactory, type AtomicStoreFactory } from '../../src/store/index.js';
import { tempDataDir } from './replay-app.js';

export type StoreBackend = 'sqlite' | 'redis';

/** SQLite always, Redis when REDIS_URL is set; says so once when it is not. */
export function storeBackends(suite: string): StoreBackend[] {
  if (process.env['REDIS_URL']) return ['sqlite', 'redis'];
  console.warn(`${suite}: REDIS_URL is unset, so only SQLite runs (CI sets it; try REDIS_URL=redis://127.0.0.1:6379)`);
  return ['sqlite'];
}

/**
 * A maker of factory pairs for one test file; call it at the file's top level (it registers the
 * clean-up). `prefixed: false` leaves keys as the bot writes them (a test that reads raw
 * entries keeps apart by namespace instead).
 */
export function storePairs(label: string, { prefixed = true } = {}): (backend: StoreBackend) => [AtomicStoreFactory, AtomicStoreFactory] {
  const dirs: string[] = [];
  const factories: AtomicStoreFactory[] = [];
  afterAll(async () => {
    await Promise.all(factories.map((factory) => factory.close()));
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  return (backend) => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const url = backend === 'redis' ? process.env['REDIS_URL'] : undefined;
    const prefix = prefixed ? `${label}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}:` : undefined;
    const pair: [AtomicStoreFactory, AtomicStoreFactory] = [createStoreFactory({ dataDir, url, prefix }), createStoreFactory({ dataDir, url, prefix })];
    factories.push(...pair);
    return pair;
  };
}
