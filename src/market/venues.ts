import type { Exchange, MarketInterface as Market } from 'ccxt';
import type { Logger } from 'pino';
import { MarketListUnavailableError } from './errors.js';
import { createExchange, type ExchangeSettings } from './exchange-factory.js';
import { indexByBase } from './instruments.js';
import type { MarketCache } from './market-cache.js';
import type { VenueRequestHook } from './request-hook.js';
import type { VenueId } from './types.js';
import { createVenueLimiter } from './venue-limits.js';

export interface VenueState {
  venue: VenueId;
  exchange: Exchange;
  marketsSource?: 'cache' | 'venue';
  /** When the market list now in use was saved (from the venue, or into the cache). */
  marketsSavedAt?: number;
  /** The loaded markets by base asset; rebuilt whenever the list is replaced. */
  byBase?: Map<string, Market[]>;
  lastError?: string;
  /** Market-list loads that failed in a row; reset by a success. */
  failedLoads?: number;
  /** No new market-list load before this time (on the injected clock) after a failure. */
  retryAt?: number;
}

/** Retry spacing after failed market-list loads: exponential from baseMs, capped, jittered. */
export interface LoadBackoff {
  baseMs: number;
  maxMs: number;
  /** 0..1; the delay is drawn from [½, 1] of the exponential step so replicas do not retry in step. */
  random: () => number;
}

export const DEFAULT_LOAD_BACKOFF: LoadBackoff = { baseMs: 2_000, maxMs: 5 * 60_000, random: Math.random };

export interface VenueCatalogOptions {
  venues: VenueId[];
  baseUrl?: string;
  timeoutMs: number;
  cache: MarketCache;
  /** A list older than this is reloaded in the background while the old one keeps serving. */
  refreshAfterMs: number;
  log: Logger;
  now: () => number;
  backoff?: LoadBackoff;
  /** 'venue' (default): each venue's published budgets, per host; 'ccxt': ccxt's one bucket; 'off': none (benches). */
  limits?: 'venue' | 'ccxt' | 'off';
  /** Called after every HTTP round trip to a venue (metrics). */
  onRequest?: VenueRequestHook;
}

/**
 * One ccxt instance per venue, with its markets loaded once: from the on-disk cache
 * when fresh, else from the venue (then written back). Concurrent callers share one load.
 * A failed load is retried only after a backoff (exponential, jittered, capped); until then
 * callers get a MarketListUnavailableError at once, with no request, so the request rate to
 * a venue that is down stays flat whatever users type.
 */
export class VenueCatalog {
  private readonly states = new Map<VenueId, VenueState>();
  private readonly loading = new Map<VenueId, Promise<Exchange>>();
  /** Per venue: what every instance of it is built with, its limiter shared (a market reload spends the same budget). */
  private readonly settings = new Map<VenueId, ExchangeSettings>();

  constructor(private readonly options: VenueCatalogOptions) {
    const { baseUrl, timeoutMs, onRequest, limits = 'venue' } = options;
    for (const venue of options.venues) {
      const limiter = limits === 'venue' ? createVenueLimiter(venue) : limits;
      this.settings.set(venue, { baseUrl, timeoutMs, onRequest, limiter });
      this.states.set(venue, { venue, exchange: createExchange(venue, this.settings.get(venue)) });
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
    const now = this.options.now();
    if (hasMarkets(state.exchange)) {
      if (now - (state.marketsSavedAt ?? 0) > this.options.refreshAfterMs && !this.backingOff(state, now)) this.refreshInBackground(state);
      return Promise.resolve(state.exchange);
    }
    if (this.backingOff(state, now)) {
      return Promise.reject(new MarketListUnavailableError(state.venue, state.lastError ?? 'the last load failed', state.retryAt! - now));
    }
    return this.startLoad(state, false);
  }

  /** Whether a failed load's backoff is still running (a load already in flight is shared instead). */
  private backingOff(state: VenueState, now: number): boolean {
    return state.retryAt !== undefined && now < state.retryAt && !this.loading.has(state.venue);
  }

  /** Schedules the next allowed load after one more failure in a row. */
  private noteFailure(state: VenueState): void {
    const { baseMs, maxMs, random } = this.options.backoff ?? DEFAULT_LOAD_BACKOFF;
    state.failedLoads = (state.failedLoads ?? 0) + 1;
    const step = Math.min(maxMs, baseMs * 2 ** Math.min(30, state.failedLoads - 1));
    state.retryAt = this.options.now() + Math.round(step * (0.5 + random() / 2));
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

  /** Whether the venue lists the asset: undefined while its market list is not loaded. */
  listsAsset(venue: VenueId, asset: string): boolean | undefined {
    const state = this.states.get(venue);
    return state?.byBase ? (state.byBase.get(asset)?.length ?? 0) > 0 : undefined;
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
    const scratch = createExchange(state.venue, this.settings.get(state.venue));
    try {
      await scratch.loadMarkets();
      // An error page parsed leniently can yield an empty list: that is a failure, not a venue with no markets.
      if (!hasMarkets(scratch)) throw new Error('the venue returned no markets (an error page or an empty answer)');
    } catch (error) {
      state.lastError = describeVenueError(error);
      this.noteFailure(state);
      throw error;
    }
    this.adopt(state, scratch.markets, scratch.currencies, 'venue', now());
    state.lastError = undefined;
    state.failedLoads = 0;
    state.retryAt = undefined;
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
  if (error instanceof MarketListUnavailableError) return error.message;
  if (error instanceof Error) {
    const kind = error.constructor?.name && error.constructor.name !== 'Error' ? error.constructor.name : '';
    const message = error.message.replace(/https?:\/\/\S+/g, '').replace(/\s+/g, ' ').trim().slice(0, 160);
    if (kind === 'TypeError' || kind === 'SyntaxError') return 'answered with something that is not valid market data';
    return kind ? `${kind}: ${message}` : message;
  }
  return String(error);
}
