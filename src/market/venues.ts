import type { Exchange, MarketInterface as Market } from 'ccxt';
import type { Logger } from 'pino';
import { createExchange } from './exchange-factory.js';
import type { MarketCache } from './market-cache.js';
import type { VenueId } from './types.js';

export interface VenueState {
  venue: VenueId;
  exchange: Exchange;
  marketsSource?: 'cache' | 'venue';
  lastError?: string;
}

export interface VenueCatalogOptions {
  venues: VenueId[];
  baseUrl?: string;
  timeoutMs: number;
  cache: MarketCache;
  log: Logger;
  now: () => number;
}

/**
 * One ccxt instance per venue, with its markets loaded once: from the on-disk cache
 * when fresh, else from the venue (then written back). Concurrent callers share one load;
 * a failed load is retried by the next caller rather than remembered forever.
 */
export class VenueCatalog {
  private readonly states = new Map<VenueId, VenueState>();
  private readonly loading = new Map<VenueId, Promise<Exchange>>();

  constructor(private readonly options: VenueCatalogOptions) {
    for (const venue of options.venues) {
      this.states.set(venue, { venue, exchange: createExchange(venue, { baseUrl: options.baseUrl, timeoutMs: options.timeoutMs }) });
    }
  }

  get venues(): VenueId[] {
    return [...this.states.keys()];
  }

  state(venue: VenueId): VenueState | undefined {
    return this.states.get(venue);
  }

  /** The venue's exchange with markets loaded. */
  ready(venue: VenueId): Promise<Exchange> {
    const state = this.states.get(venue);
    if (!state) return Promise.reject(new Error(`venue ${venue} is not configured`));
    if (hasMarkets(state.exchange)) return Promise.resolve(state.exchange);
    let pending = this.loading.get(venue);
    if (!pending) {
      pending = this.load(state).finally(() => this.loading.delete(venue));
      this.loading.set(venue, pending);
    }
    return pending;
  }

  /** Markets of every venue whose list is already loaded (no I/O). */
  loadedMarkets(): { venue: VenueId; markets: Market[] }[] {
    return [...this.states.values()]
      .filter((state) => hasMarkets(state.exchange))
      .map((state) => ({ venue: state.venue, markets: Object.values(state.exchange.markets ?? {}) as Market[] }));
  }

  private async load(state: VenueState): Promise<Exchange> {
    const { cache, log, now } = this.options;
    const cached = await cache.read(state.venue, now());
    if (cached) {
      state.exchange.setMarkets(cached.markets as never, cached.currencies as never);
      state.marketsSource = 'cache';
      log.debug({ venue: state.venue }, 'markets from cache');
      return state.exchange;
    }
    try {
      await state.exchange.loadMarkets(true);
      // An error page parsed leniently can yield an empty list: that is a failure, not a venue with no markets.
      if (!hasMarkets(state.exchange)) throw new Error('the venue returned no markets (an error page or an empty answer)');
      state.marketsSource = 'venue';
      state.lastError = undefined;
    } catch (error) {
      state.lastError = describeVenueError(error);
      throw error;
    }
    await cache
      .write({ venue: state.venue, savedAt: now(), markets: state.exchange.markets ?? {}, currencies: state.exchange.currencies ?? {} })
      .catch((error: unknown) => log.warn({ venue: state.venue, err: error }, 'could not write the market cache'));
    log.info({ venue: state.venue, markets: Object.keys(state.exchange.markets ?? {}).length }, 'markets loaded from venue');
    return state.exchange;
  }
}

function hasMarkets(exchange: Exchange): boolean {
  return Object.keys(exchange.markets ?? {}).length > 0;
}

/** A short, user-presentable reason for a venue failure (ccxt class name, no stack, no URL noise). */
export function describeVenueError(error: unknown): string {
  if (error instanceof Error) {
    const kind = error.constructor?.name && error.constructor.name !== 'Error' ? error.constructor.name : '';
    const message = error.message.replace(/https?:\/\/\S+/g, '').replace(/\s+/g, ' ').trim().slice(0, 160);
    if (kind === 'TypeError' || kind === 'SyntaxError') return 'answered with something that is not valid market data';
    return kind ? `${kind}: ${message}` : message;
  }
  return String(error);
}
