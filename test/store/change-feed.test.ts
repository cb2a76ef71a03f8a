/**
 * The change feed replicas use to tell the lease holder what they changed: numbers are unique
 * and without holes under concurrent writers on two connections, a reader gets exactly the
 * keys after its position, and an expired stretch is reported as a gap (reload), not skipped.
 */
import { describe, expect, it } from 'vitest';
import { fetchAndAdd } from '../../src/store/atomic-update.js';
import { ChangeFeed } from '../../src/store/change-feed.js';
import { storeBackends, storePairs } from '../helpers/store-pairs.js';

const twoConnections = storePairs('feed');
const backends = storeBackends('change feed');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends)('change feed on %s', (backend) => {
  it('concurrent publishers on two connections get distinct numbers with no holes; a reader sees each key once', async () => {
    const [a, b] = twoConnections(backend);
    const feedA = new ChangeFeed(a, 'changes');
    const feedB = new ChangeFeed(b, 'changes');
    expect(await feedA.since(0)).toEqual({ kind: 'changes', keys: [], seen: 0 });
    const numbers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? feedA : feedB).publish(`k${i}`)));
    expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const read = await feedB.since(0);
    expect(read.kind).toBe('changes');
    expect(read.seen).toBe(20);
    if (read.kind === 'changes') expect([...read.keys].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}`).sort());
    await feedA.publish('late');
    expect(await feedB.since(20)).toEqual({ kind: 'changes', keys: ['late'], seen: 21 });
    expect(await feedB.since(21)).toEqual({ kind: 'changes', keys: [], seen: 21 });
  });

  it('a reader whose entries expired is told to reload', async () => {
    const [a] = twoConnections(backend);
    const feed = new ChangeFeed(a, 'changes', 200);
    await feed.publish('x');
    await sleep(350);
    await new ChangeFeed(a, 'changes').publish('y');
    expect(await feed.since(0)).toEqual({ kind: 'gap', seen: 2 });
    expect(await feed.since(1)).toEqual({ kind: 'changes', keys: ['y'], seen: 2 });
  });

  it('fetchAndAdd hands every concurrent caller on two connections its own number, from the floor up', async () => {
    const [a, b] = twoConnections(backend);
    const stores = [a.open<unknown>('meta'), b.open<unknown>('meta')];
    const got = await Promise.all(Array.from({ length: 16 }, (_, i) => fetchAndAdd(stores[i % 2], 'nextId', 1, 5)));
    expect([...got].sort((x, y) => x - y)).toEqual(Array.from({ length: 16 }, (_, i) => i + 5));
  });
});
