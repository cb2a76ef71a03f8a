/**
 * Serve-stale-while-refresh in the quote cache, on an injected clock with a driver whose
 * fetches the test settles by hand: nothing here waits on real time.
 */
import type { Exchange } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { QuoteService } from '../../src/market/quotes.js';
import type { Quote } from '../../src/market/types.js';
import type { VenueDriver } from '../../src/market/venues/driver.js';

const TTL = 5_000;
const GRACE = 30_000;
const exchange = {} as Exchange;

/** A driver whose every fetch waits until the test resolves or rejects it. */
function manualDriver() {
  const pending: { resolve: (quotes: Quote[]) => void; reject: (error: Error) => void }[] = [];
  const driver: VenueDriver = {
    venue: 'okx',
    familiesFor: () => ['spot'],
    fetchFamily: () => new Promise<Quote[]>((resolve, reject) => pending.push({ resolve, reject })),
  };
  const quote = (last: number): Quote[] => [{ symbol: 'BTC/USDT', last, timestamp: 0 }];
  return { driver, pending, quote };
}

/** Lets settled promises run their callbacks (no timers involved). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup() {
  let now = 1_000_000;
  const service = new QuoteService({ ttlMs: TTL, graceMs: GRACE, now: () => now });
  const { driver, pending, quote } = manualDriver();
  const get = (allowStale = true) => service.get('okx', 'spot', exchange, driver, { allowStale });
  return { service, pending, quote, get, advance: (ms: number) => (now += ms) };
}

async function primed() {
  const ctx = setup();
  const first = ctx.get();
  ctx.pending[0].resolve(ctx.quote(100));
  await first;
  return ctx;
}

describe('quote cache: serve-stale-while-refresh', () => {
  it('within the grace period answers from cache without waiting for the venue, and starts exactly one refresh', async () => {
    const { service, pending, quote, get, advance } = await primed();
    advance(TTL + 1_000);
    // The venue has not answered (the refresh below stays pending), yet every caller gets quotes.
    const answers = await Promise.all(Array.from({ length: 20 }, () => get()));
    expect(answers.every((entry) => entry.quotes.get('BTC/USDT')?.last === 100)).toBe(true);
    // The refresh starts after the answers went out (next event-loop turn), and only once.
    expect(pending).toHaveLength(1);
    await flush();
    expect(pending).toHaveLength(2); // the first fetch and one refresh, not twenty
    await get();
    await flush();
    expect(pending).toHaveLength(2);
    expect(service.stats()).toMatchObject({ staleServed: 21, refreshes: 1, misses: 1 });

    pending[1].resolve(quote(101));
    await flush();
    const fresh = await get();
    expect(fresh.quotes.get('BTC/USDT')?.last).toBe(101);
    expect(pending).toHaveLength(2);
    expect(service.stats().hits).toBe(1);
  });

  it('keeps venue requests per TTL the same as without it: one family fetch per TTL period under steady queries', async () => {
    const fetchesOver = async (allowStale: boolean) => {
      let now = 0;
      let fetches = 0;
      const service = new QuoteService({ ttlMs: TTL, graceMs: GRACE, now: () => now });
      const driver: VenueDriver = {
        venue: 'okx',
        familiesFor: () => ['spot'],
        fetchFamily: async () => {
          fetches += 1;
          return [{ symbol: 'BTC/USDT', last: fetches, timestamp: now }];
        },
      };
      // 10 queries per TTL over 5 TTL periods; each refresh lands before the next query.
      for (let query = 0; query <= 50; query += 1, now += TTL / 10) {
        await service.get('okx', 'spot', exchange, driver, { allowStale });
        await flush();
      }
      return fetches;
    };
    const withStale = await fetchesOver(true);
    expect(withStale).toBe(6); // the first fetch, then one per TTL period
    expect(withStale).toBe(await fetchesOver(false));
  });

  it('past the grace period, and for callers that do not allow stale quotes, waits for a fresh fetch', async () => {
    const { pending, quote, get, advance } = await primed();
    advance(TTL + 1_000);
    let strictAnswered = false;
    const strict = get(false).then((entry) => {
      strictAnswered = true;
      return entry;
    });
    await flush();
    expect(strictAnswered).toBe(false);
    expect(pending).toHaveLength(2);
    pending[1].resolve(quote(102));
    expect((await strict).quotes.get('BTC/USDT')?.last).toBe(102);

    advance(TTL + GRACE);
    let lateAnswered = false;
    const late = get().then((entry) => {
      lateAnswered = true;
      return entry;
    });
    await flush();
    expect(lateAnswered).toBe(false);
    pending[2].resolve(quote(103));
    expect((await late).quotes.get('BTC/USDT')?.last).toBe(103);
  });

  it('a failed background refresh raises no unhandled rejection and is reported to the next caller, once', async () => {
    const { pending, get, advance } = await primed();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      advance(TTL + 1_000);
      expect((await get()).quotes.get('BTC/USDT')?.last).toBe(100);
      await flush();
      pending[1].reject(new Error('ExchangeNotAvailable: okx 503'));
      await flush();
      await flush();
      await expect(get()).rejects.toThrow('okx 503');
      // Reported once: the caller after it is served from cache again while a new refresh runs.
      expect((await get()).quotes.get('BTC/USDT')?.last).toBe(100);
      await flush();
      expect(pending).toHaveLength(3);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
