import type { Exchange, MarketInterface as Market } from 'ccxt';
import type { Logger } from 'pino';
import { createExchange } from './exchange-factory.js';
import { indexByBase } from './instruments.js';
import type { MarketCache } from './market-cache.js';
import type { VenueId } from './types.js';

export interface VenueState {
  venue: VenueId;
  exchange: Exchange;
  marketsSource?: 'cache' | 'venue';
  /** When the market list now in use was saved (from the venue, or into the cache). */
  marketsSavedAt?: number;
  /** The loaded markets by base asset; rebuilt whenever the list is replaced. */
  byBase?: Map<string, Market[]>;
  lastError?: string;
}

export interface VenueCatalogOptions {
  venues: VenueId[];
  baseUrl?: string;
  timeoutMs: number;
  cache: MarketCache;
  /** A list older than this is reloaded in the background while the old one keeps serving. */
  refreshAfterMs: number;
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
    if (hasMarkets(state.exchange)) {
      if (this.options.now() - (state.marketsSavedAt ?? 0) > this.options.refreshAfterMs) this.refreshInBackground(state);
      return Promise.resolve(state.exchange);
    }
    return this.startLoad(state, false);
  }

  private startLoad(state: VenueState, fromVenue: boolean): Promise<Exchange> {
    let pending = this.loading.get(state.venue);
    if (!pending) {
      pending = this.load(state, fromVenue).finally(() => this.loading.delete(state.venue));
      this.loading.set(state.venue, pending);
    }
    return pending;
  }

  /** New listings (weeklies roll every Friday) arrive without making anyone wait. */
  private refreshInBackground(state: VenueState): void {
    if (this.loading.has(state.venue)) return;
    this.startLoad(state, true).catch((error: unknown) =>
      this.options.log.warn({ venue: state.venue, err: describeVenueError(error) }, 'market refresh failed; keeping the old list'),
    );
  }

  /** The venue's markets for one base asset (no I/O; empty until its list is loaded). */
  marketsOf(venue: VenueId, asset: string): Market[] {
    return this.states.get(venue)?.byBase?.get(asset) ?? [];
  }

  /** Base assets of every venue whose list is loaded (no I/O). */
  loadedAssets(): { venue: VenueId; assets: Set<string> }[] {
    return [...this.states.values()].flatMap((state) => (state.byBase ? [{ venue: state.venue, assets: new Set(state.byBase.keys()) }] : []));
  }

  /** Installs a market list and the index every query reads. */
  private adopt(state: VenueState, markets: unknown, currencies: unknown, source: 'cache' | 'venue', savedAt: number): void {
    state.exchange.setMarkets(markets as never, currencies as never);
    state.byBase = indexByBase(Object.values(state.exchange.markets ?? {}) as Market[]);
    state.marketsSource = source;
    state.marketsSavedAt = savedAt;
  }

  private async load(state: VenueState, fromVenue: boolean): Promise<Exchange> {
    const { cache, log, now } = this.options;
    const cached = fromVenue ? undefined : await cache.read(state.venue, now());
    if (cached) {
      this.adopt(state, cached.markets, cached.currencies, 'cache', cached.savedAt);
      log.debug({ venue: state.venue }, 'markets from cache');
      return state.exchange;
    }
    // Load into a scratch instance so a failed or empty reload never replaces a good list.
    const scratch = createExchange(state.venue, { baseUrl: this.options.baseUrl, timeoutMs: this.options.timeoutMs });
    try {
      await scratch.loadMarkets();
      // An error page parsed leniently can yield an empty list: that is a failure, not a venue with no markets.
      if (!hasMarkets(scratch)) throw new Error('the venue returned no markets (an error page or an empty answer)');
    } catch (error) {
      state.lastError = describeVenueError(error);
      throw error;
    }
    this.adopt(state, scratch.markets, scratch.currencies, 'venue', now());
    state.lastError = undefined;
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
