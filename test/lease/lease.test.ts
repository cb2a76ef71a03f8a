/**
 * The push lease on each store backend, on a clock the test moves: one holder at a time,
 * renewal, takeover within one lease period after the holder dies, fencing tokens that only
 * grow, and a keeper that starts and stops the work exactly once per term.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LeaseKeeper } from '../../src/lease/keeper.js';
import { Lease, type LeaseRecord } from '../../src/lease/lease.js';
import { createStoreFactory, type AtomicStoreFactory } from '../../src/store/index.js';

const redisUrl = process.env['REDIS_URL'];
if (!redisUrl) console.warn('lease: REDIS_URL is unset, so only SQLite runs (CI sets it)');
const dirs: string[] = [];
const factories: AtomicStoreFactory[] = [];
afterAll(async () => {
  await Promise.all(factories.map((factory) => factory.close()));
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const TTL = 15_000;
const silent = { info: () => undefined, warn: () => undefined };

describe.each((['sqlite', 'redis'] as const).filter((backend) => backend === 'sqlite' || redisUrl))('lease on %s', (backend) => {
  function setUp() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-lease-'));
    dirs.push(dataDir);
    const prefix = `lease-test-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}:`;
    let t = 1_000_000;
    const clock = { now: () => t, advance: (ms: number) => (t += ms) };
    const lease = (holder: string) => {
      const factory = createStoreFactory({ dataDir, url: backend === 'redis' ? redisUrl : undefined, prefix });
      factories.push(factory);
      return new Lease({ store: factory.open<LeaseRecord>('lease'), name: 'push', holder, ttlMs: TTL, now: clock.now });
    };
    return { clock, lease };
  }

  it('one holder at a time; renewals keep it; a dead holder is replaced after one period with a larger token', async () => {
    const { clock, lease } = setUp();
    const a = lease('a');
    const b = lease('b');
    expect(await a.acquireOrRenew()).toBe(true);
    expect(await b.acquireOrRenew()).toBe(false);
    const first = a.token!;
    for (let i = 0; i < 5; i += 1) {
      clock.advance(TTL / 4);
      expect(await a.acquireOrRenew()).toBe(true);
      expect(await b.acquireOrRenew()).toBe(false);
    }
    // a dies (stops renewing). Not trusted by itself past the margin; b waits for the full period.
    clock.advance(TTL - a.marginMs);
    expect(a.isHeld()).toBe(false);
    expect(await b.acquireOrRenew()).toBe(false);
    clock.advance(a.marginMs);
    expect(await b.acquireOrRenew()).toBe(true);
    expect(b.token).toBe(first + 1);
    // a comes back: its renewal fails rather than stealing the lease back.
    expect(await a.acquireOrRenew()).toBe(false);
    expect(a.token).toBeUndefined();
  });

  it('release hands the lease over at once, and tokens keep growing', async () => {
    const { lease } = setUp();
    const a = lease('a');
    const b = lease('b');
    expect(await a.acquireOrRenew()).toBe(true);
    const first = a.token!;
    await a.release();
    expect(a.isHeld()).toBe(false);
    expect(await b.acquireOrRenew()).toBe(true);
    expect(b.token).toBe(first + 1);
  });

  it('racing replicas: exactly one wins a free lease', async () => {
    const { lease } = setUp();
    const contenders = ['a', 'b', 'c', 'd', 'e', 'f'].map(lease);
    const won = await Promise.all(contenders.map((contender) => contender.acquireOrRenew()));
    expect(won.filter(Boolean)).toHaveLength(1);
  });

  it('the keepers of two replicas run the work once per term, and the survivor takes over when the holder dies', async () => {
    const { clock, lease } = setUp();
    const events: string[] = [];
    const keeper = (name: string) =>
      new LeaseKeeper({
        lease: lease(name),
        log: silent,
        work: { start: async (token) => void events.push(`${name} start ${token}`), stop: async () => void events.push(`${name} stop`) },
      });
    const a = keeper('a');
    const b = keeper('b');
    await a.step();
    await b.step();
    for (let i = 0; i < 4; i += 1) {
      clock.advance(TTL / 4);
      await a.step();
      await b.step();
    }
    expect(events).toEqual(['a start 1']);
    expect(a.leading && !b.leading).toBe(true);
    a.abandon(); // SIGKILL: no release, no stop
    let waited = 0;
    while (!b.leading) {
      clock.advance(TTL / 4);
      waited += TTL / 4;
      await b.step();
    }
    expect(waited).toBeLessThanOrEqual(TTL);
    expect(events).toEqual(['a start 1', 'b start 2']);
    await b.close();
    expect(events.at(-1)).toBe('b stop');
  });
});
