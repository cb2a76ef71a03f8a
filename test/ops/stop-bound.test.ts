/**
 * Shutdown stays within its bound when the store hangs: the lease release is the last step
 * of stopWithin and gets only what is left of the bound. Fake timers stand in for the wait,
 * so the test proves the bound is enforced, not how long anything took.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LeaseKeeper } from '../../src/lease/keeper.js';
import { Lease, type LeaseRecord } from '../../src/lease/lease.js';
import { STOP_BOUND_MS, stopWithin, type StopPlan } from '../../src/stop.js';
import type { AtomicStore } from '../../src/store/index.js';

const never = () => new Promise<never>(() => undefined);

/** An in-memory lease namespace that answers until `hang()`, then never again (a Redis gone silent). */
function hangingStore() {
  const values = new Map<string, LeaseRecord>();
  let hung = false;
  const calls: string[] = [];
  const answer = <T>(name: string, work: () => T): Promise<T> => {
    calls.push(name);
    return hung ? never() : Promise.resolve(work());
  };
  const store: AtomicStore<LeaseRecord> = {
    get: (key) => answer('get', () => values.get(key)),
    set: (key, value) => answer('set', () => void values.set(key, value)),
    delete: (key) => answer('delete', () => values.delete(key)),
    entries: async function* () {
      yield* values.entries();
    },
    setIfAbsent: (key, value) => answer('setIfAbsent', () => (values.has(key) ? false : (values.set(key, value), true))),
    compareAndSet: (key, expected, next) =>
      answer('compareAndSet', () => {
        if (JSON.stringify(values.get(key)) !== JSON.stringify(expected)) return false;
        if (next === undefined) values.delete(key);
        else values.set(key, next);
        return true;
      }),
  };
  return { store, values, calls, hang: () => (hung = true) };
}

function plan(overrides: Partial<StopPlan>): StopPlan & { warnings: unknown[] } {
  const warnings: unknown[] = [];
  return {
    features: async () => undefined,
    drain: async () => undefined,
    adapters: [],
    drainMs: 1_000,
    log: { info: () => undefined, warn: (obj: unknown) => void warnings.push(obj) },
    warnings,
    ...overrides,
  };
}

describe('stopWithin and the lease release', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('releases the lease after the drain and the adapters', async () => {
    const order: string[] = [];
    await stopWithin(
      plan({
        drain: async () => void order.push('drain'),
        adapters: [{ platform: 'discord', stop: async () => void order.push('discord') }],
        release: async () => void order.push('release'),
      }),
    );
    expect(order).toEqual(['drain', 'discord', 'release']);
  });

  it('returns at the bound when the release never settles, and says so', async () => {
    const stopping = plan({ release: never });
    let done = false;
    const stopped = stopWithin(stopping).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(STOP_BOUND_MS - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopped;
    expect(done).toBe(true);
    expect(stopping.warnings).toEqual([{ boundMs: STOP_BOUND_MS }]);
  });

  it('bounds a real LeaseKeeper whose store hangs mid-term', async () => {
    const { store, values, calls, hang } = hangingStore();
    let t = 1_000_000;
    const lease = new Lease({ store, name: 'push', holder: 'replica-a', ttlMs: 15_000, now: () => t });
    const work = { started: 0, stopped: 0 };
    const keeper = new LeaseKeeper({
      lease,
      work: { start: async () => void work.started++, stop: async () => void work.stopped++ },
      log: { info: () => undefined, warn: () => undefined },
    });
    await keeper.step();
    expect(keeper.leading).toBe(true);
    expect(values.get('push')?.holder).toBe('replica-a');

    hang();
    t += 1_000;
    let done = false;
    const stopped = stopWithin(plan({ features: async () => keeper.abandon(), release: () => keeper.close() })).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(STOP_BOUND_MS);
    await stopped;
    expect(done).toBe(true);
    // The work stopped and the release reached the (hung) store: it was tried, not skipped.
    expect(work.stopped).toBe(1);
    expect(calls.at(-1)).toBe('get');
    // Unreleased, the record still names the holder: it expires on its own after the TTL.
    expect(values.get('push')?.expiresAt).toBeGreaterThan(t);
  });
});
