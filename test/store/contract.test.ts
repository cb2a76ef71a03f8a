/**
 * One contract for every store backend: the atomic operations a lease and exactly-once
 * delivery rely on. Runs on SQLite always and on Redis when REDIS_URL is set (CI starts one).
 */
import { describe, expect, it } from 'vitest';
import type { AtomicStore } from '../../src/store/index.js';
import { storeBackends, storePairs } from '../helpers/store-pairs.js';

/** Two factories on one backend: two replicas (or two processes on one SQLite file). */
const replicas = storePairs('contract', { prefixed: false });
const backends = storeBackends('store contract');
let serial = 0;
const freshNamespace = () => `contract-${process.pid}-${Date.now()}-${(serial += 1)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends)('store contract on %s', (backend) => {
  const pair = () => {
    const [a, b] = replicas(backend);
    const namespace = freshNamespace();
    return [a.open<{ n: number; who?: string }>(namespace), b.open<{ n: number; who?: string }>(namespace)] as const;
  };

  it('setIfAbsent stores once, and what it stored is what get and entries read', async () => {
    const [a, b] = pair();
    expect(await a.setIfAbsent('k', { n: 1 })).toBe(true);
    expect(await b.setIfAbsent('k', { n: 2 })).toBe(false);
    expect(await b.get('k')).toEqual({ n: 1 });
    const listed: [string, unknown][] = [];
    for await (const entry of b.entries()) listed.push(entry);
    expect(listed).toEqual([['k', { n: 1 }]]);
    await a.set('plain', { n: 3 });
    expect(await b.setIfAbsent('plain', { n: 4 })).toBe(false);
  });

  it('setIfAbsent with a TTL: the key is free again once it expired', async () => {
    const [a, b] = pair();
    expect(await a.setIfAbsent('lock', { n: 1 }, 300)).toBe(true);
    expect(await b.setIfAbsent('lock', { n: 2 }, 300)).toBe(false);
    await sleep(450);
    expect(await b.get('lock')).toBeUndefined();
    expect(await b.setIfAbsent('lock', { n: 2 })).toBe(true);
    expect(await a.get('lock')).toEqual({ n: 2 });
  });

  it('compareAndSet swaps only from the expected value; absent and delete are expressible', async () => {
    const [a, b] = pair();
    expect(await a.compareAndSet('k', { n: 9 }, { n: 1 })).toBe(false); // not there yet
    expect(await a.get('k')).toBeUndefined();
    expect(await a.compareAndSet('k', undefined, { n: 1, who: 'a' })).toBe(true);
    expect(await b.compareAndSet('k', undefined, { n: 1, who: 'b' })).toBe(false);
    // Equality is by value: key order does not matter.
    expect(await b.compareAndSet('k', { who: 'a', n: 1 }, { n: 2, who: 'b' })).toBe(true);
    expect(await a.compareAndSet('k', { n: 1, who: 'a' }, { n: 3 })).toBe(false); // stale
    expect(await a.get('k')).toEqual({ n: 2, who: 'b' });
    expect(await a.compareAndSet('k', { n: 2, who: 'b' }, undefined)).toBe(true);
    expect(await b.get('k')).toBeUndefined();
  });

  it('a plain set in between makes a compareAndSet from the old value fail', async () => {
    const [a, b] = pair();
    await a.set('k', { n: 1 });
    const seen = await b.get('k');
    await a.set('k', { n: 5 });
    expect(await b.compareAndSet('k', seen, { n: 2 })).toBe(false);
    expect(await a.get('k')).toEqual({ n: 5 });
  });

  it('compareAndSet with a TTL expires like set, and an expired value counts as absent', async () => {
    const [a, b] = pair();
    expect(await a.compareAndSet('k', undefined, { n: 1 }, 300)).toBe(true);
    await sleep(450);
    expect(await b.compareAndSet('k', { n: 1 }, { n: 2 })).toBe(false);
    expect(await b.compareAndSet('k', undefined, { n: 2 })).toBe(true);
    expect(await a.get('k')).toEqual({ n: 2 });
  });

  it('under concurrent callers on two replicas: one setIfAbsent wins, and no increment is lost', async () => {
    const [a, b] = pair();
    const claims = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).setIfAbsent('claim', { n: i })));
    expect(claims.filter(Boolean)).toHaveLength(1);

    const increment = async (store: AtomicStore<{ n: number }>) => {
      for (;;) {
        const current = await store.get('counter');
        if (await store.compareAndSet('counter', current, { n: (current?.n ?? 0) + 1 })) return;
      }
    };
    const workers = Array.from({ length: 8 }, (_, i) => (async () => {
      for (let step = 0; step < 5; step += 1) await increment(i % 2 ? a : b);
    })());
    await Promise.all(workers);
    expect(await a.get('counter')).toEqual({ n: 40 });
  });
});
