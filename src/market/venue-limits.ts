import ccxt, { type Exchange } from 'ccxt';
import type { VenueId } from './types.js';

/**
 * Request budgets as the venues publish them, in each venue's ccxt cost units (ccxt prices
 * every endpoint: binance spot 1 cost = 5 weight, fapi/dapi 1 cost = 1 weight; okx 1 cost =
 * one tickers call; bybit 5 per public call; deribit 1 per call).
 *
 * ccxt's default is one leaky bucket per exchange with room for a single request: binance's
 * spot, USDⓈ-M and COIN-M hosts queue behind each other, and every request waits for the
 * previous one's cost even though the venue would take the whole burst. A cold /basis is
 * ~15 small requests, far below any of these budgets, so with them it waits for nothing.
 */
type Budget =
  /** At most `cost` in any rolling window (binance: weight per minute; okx, bybit: per few seconds). */
  | { kind: 'window'; windowMs: number; cost: number }
  /** A credit pool that refills continuously (deribit): bursts up to `capacity`. */
  | { kind: 'credits'; capacity: number; perSecond: number };

/**
 * A share of each budget left unused: other clients behind the same IP (a second replica,
 * an operator's script) spend from the same venue budget.
 */
const HEADROOM = 0.8;

const BUDGETS: Record<VenueId, Record<string, Budget>> = {
  binance: {
    // api.binance.com: 6,000 weight per minute.
    api: { kind: 'window', windowMs: 60_000, cost: 6_000 / 5 },
    // fapi.binance.com (USDⓈ-M) and dapi.binance.com (COIN-M): 2,400 weight per minute each.
    fapi: { kind: 'window', windowMs: 60_000, cost: 2_400 },
    dapi: { kind: 'window', windowMs: 60_000, cost: 2_400 },
  },
  // 20 requests per 2 s per endpoint; one shared budget never exceeds any endpoint's.
  okx: { api: { kind: 'window', windowMs: 2_000, cost: 20 } },
  // 600 requests per 5 s per IP.
  bybit: { api: { kind: 'window', windowMs: 5_000, cost: 600 * 5 } },
  // Non-matching-engine credits: a pool of 100 requests refilled at 20 per second.
  deribit: { api: { kind: 'credits', capacity: 100, perSecond: 20 } },
};

/** The budget that an endpoint group (ccxt's `api` name) draws on: one per binance host. */
function hostOf(venue: VenueId, api: unknown): string {
  if (venue !== 'binance') return 'api';
  const name = Array.isArray(api) ? String(api[0]) : String(api);
  const prefix = /^(fapi|dapi|eapi|papi|sapi)/.exec(name)?.[1];
  return prefix ?? 'api';
}

/** The cost a rolling-window host may spend per window, headroom taken off (undefined for credit pools). */
export function windowBudget(venue: VenueId, host: string): number | undefined {
  const budget = BUDGETS[venue][host];
  return budget?.kind === 'window' ? budget.cost * HEADROOM : undefined;
}

interface ThrottlerLike {
  throttle(cost?: number): Promise<void>;
}
type ThrottlerClass = new (config: Record<string, unknown>) => ThrottlerLike;
/** ccxt's own limiter (exported at run time, absent from its typings). */
const Throttler = (ccxt as unknown as { Throttler: ThrottlerClass }).Throttler;

function throttlerFor(budget: Budget): ThrottlerLike {
  if (budget.kind === 'window') {
    // ccxt sizes the window as windowSize / rateLimit cost units.
    const cost = budget.cost * HEADROOM;
    return new Throttler({ algorithm: 'rollingWindow', windowSize: budget.windowMs, rateLimit: budget.windowMs / cost });
  }
  const capacity = budget.capacity * HEADROOM;
  // A full pool at start: a cold query's burst goes out at once. Tokens are per ms.
  return new Throttler({ algorithm: 'leakyBucket', capacity, tokens: capacity - 1, refillRate: (budget.perSecond * HEADROOM) / 1000, delay: 0.001 });
}

/** The limiters of one venue, one per host with its own budget; shared by every instance of the venue. */
export interface VenueLimiter {
  venue: VenueId;
  throttle(api: unknown, cost: number): Promise<void>;
}

/** ccxt's pacing of binance (ms per cost unit), kept for its hosts basisbot does not budget (sapi, eapi, papi). */
const CCXT_BINANCE_RATE_LIMIT_MS = 50;

export function createVenueLimiter(venue: VenueId): VenueLimiter {
  const throttlers = new Map<string, ThrottlerLike>();
  const budgets = BUDGETS[venue];
  return {
    venue,
    throttle(api, cost) {
      const host = hostOf(venue, api);
      let throttler = throttlers.get(host);
      if (!throttler) {
        const budget = budgets[host];
        throttler = budget ? throttlerFor(budget) : new Throttler({ refillRate: 1 / CCXT_BINANCE_RATE_LIMIT_MS, capacity: 1, tokens: 0, delay: 0.001 });
        throttlers.set(host, throttler);
      }
      return throttler.throttle(cost);
    },
  };
}

type Fetch2 = (path: unknown, api?: unknown, method?: string, params?: object, headers?: unknown, body?: unknown, config?: object) => Promise<unknown>;

/**
 * Routes the exchange's rate limiting through `limiter`: each request waits on its host's
 * budget, priced by ccxt's own cost table. `enableRateLimit = false` still turns it off.
 */
export function installVenueLimiter(exchange: Exchange, limiter: VenueLimiter): void {
  const target = exchange as unknown as { fetch2: Fetch2; throttle: (cost?: number) => Promise<void> };
  const send = target.fetch2.bind(exchange);
  // ccxt's fetch2 would wait on its single built-in bucket too: the per-host wait below replaces it.
  target.throttle = () => Promise.resolve();
  target.fetch2 = async (path, api = 'public', method = 'GET', params = {}, headers, body, config = {}) => {
    if (exchange.enableRateLimit) {
      const cost = exchange.calculateRateLimiterCost(api as never, method, path as string, params, config) as number;
      await limiter.throttle(api, cost);
    }
    return send(path, api, method, params, headers, body, config);
  };
}
