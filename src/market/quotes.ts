import type { Exchange } from 'ccxt';
import type { Quote, VenueId } from './types.js';
import type { VenueDriver } from './venues/driver.js';

/** All quotes of one market family at one venue, as fetched together. */
export interface FamilyQuotes {
  venue: VenueId;
  family: string;
  fetchedAt: number;
  quotes: Map<string, Quote>;
}

export interface QuoteCacheStats {
  hits: number;
  /** Each miss starts one family fetch (one or a few venue requests). */
  misses: number;
  /** Callers that joined a fetch already in flight instead of starting their own. */
  coalesced: number;
  /** Answers served from quotes past the TTL (within the grace period) while a refresh ran. */
  staleServed: number;
  /** Background refreshes started (each one family fetch, as a miss would have been). */
  refreshes: number;
}

export interface QuoteServiceOptions {
  ttlMs: number;
  /**
   * After the TTL, for this long, callers that allow it get the cached quotes at once while
   * one background refresh runs. Default two TTLs: an answer is then at most three TTLs old
   * (15 s with the default 5 s, well inside the 60 s staleness limit), its age shown with it,
   * and steady traffic (a query every few seconds) never waits for a refetch.
   */
  graceMs?: number;
  now: () => number;
  /** Where a background refresh failure is logged (it is also reported to the next caller). */
  onRefreshError?: (venue: VenueId, family: string, error: unknown) => void;
}

/** The default grace period, in TTLs. */
export const DEFAULT_GRACE_TTLS = 2;

/**
 * Quotes per (venue, family) with a short TTL cache and in-flight coalescing: however
 * many queries arrive together, each family is fetched once, so venue load does not
 * grow with chat traffic. A failure is not cached; the next caller tries again.
 *
 * Serve-stale-while-refresh: a caller that allows it (watched and recently asked assets)
 * gets quotes up to `graceMs` past the TTL at once, and the first such caller starts one
 * background refresh; the refresh replaces the entry as a foreground fetch would, so the
 * venue still sees one fetch per family per TTL. A refresh that fails is handed to the
 * next caller as its own failure, so it is reported the way a foreground failure is.
 */
export class QuoteService {
  private readonly cache = new Map<string, FamilyQuotes>();
  private readonly inFlight = new Map<string, Promise<FamilyQuotes>>();
  /** Background refresh failures not yet reported to a caller. */
  private readonly refreshErrors = new Map<string, unknown>();
  private readonly counters: QuoteCacheStats = { hits: 0, misses: 0, coalesced: 0, staleServed: 0, refreshes: 0 };

  constructor(private readonly options: QuoteServiceOptions) {}

  get ttlMs(): number {
    return this.options.ttlMs;
  }

  private get graceMs(): number {
    return this.options.graceMs ?? DEFAULT_GRACE_TTLS * this.options.ttlMs;
  }

  /**
   * The family's quotes: from cache when younger than the TTL; with `allowStale`, also up to
   * the grace period past it (a refresh starts in the background); else after a fetch.
   */
  get(venue: VenueId, family: string, exchange: Exchange, driver: VenueDriver, options: { allowStale?: boolean } = {}): Promise<FamilyQuotes> {
    const key = keyOf(venue, family);
    const cached = this.cache.get(key);
    const age = cached ? this.options.now() - cached.fetchedAt : Infinity;
    if (cached && age < this.options.ttlMs) {
      this.counters.hits += 1;
      return Promise.resolve(cached);
    }
    if (cached && options.allowStale && age < this.options.ttlMs + this.graceMs) {
      const failure = this.refreshErrors.get(key);
      if (failure !== undefined) {
        // Reported once, as this caller's own failure; the caller after it is served stale again.
        this.refreshErrors.delete(key);
        return Promise.reject(failure);
      }
      this.counters.staleServed += 1;
      if (!this.inFlight.has(key)) this.refreshInBackground(key, venue, family, exchange, driver);
      return Promise.resolve(cached);
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      this.counters.coalesced += 1;
      return pending;
    }
    this.counters.misses += 1;
    // This caller's own fetch reports the venue's current state: an older refresh failure is moot.
    this.refreshErrors.delete(key);
    return this.start(key, venue, family, exchange, driver);
  }

  /** True when every family can be answered from the cache now (fresh, or stale within grace when allowed). */
  isFresh(venue: VenueId, families: string[], options: { allowStale?: boolean } = {}): boolean {
    const now = this.options.now();
    const limit = this.options.ttlMs + (options.allowStale ? this.graceMs : 0);
    return families.every((family) => {
      const key = keyOf(venue, family);
      const cached = this.cache.get(key);
      return cached !== undefined && now - cached.fetchedAt < limit && !this.refreshErrors.has(key);
    });
  }

  /** Age of the venue's newest cached family, ms. */
  dataAgeMs(venue: VenueId): number | undefined {
    const times = [...this.cache.values()].filter((entry) => entry.venue === venue).map((entry) => entry.fetchedAt);
    return times.length ? this.options.now() - Math.max(...times) : undefined;
  }

  stats(): QuoteCacheStats {
    return { ...this.counters };
  }

  private start(key: string, venue: VenueId, family: string, exchange: Exchange, driver: VenueDriver, after?: Promise<void>): Promise<FamilyQuotes> {
    const fetch = (after ? after.then(() => this.fetch(venue, family, exchange, driver)) : this.fetch(venue, family, exchange, driver)).finally(() =>
      this.inFlight.delete(key),
    );
    this.inFlight.set(key, fetch);
    return fetch;
  }

  /**
   * One refresh whose failure is kept for the next caller instead of going unhandled. It is
   * registered at once (later callers see it in flight) but starts on the next turn of the
   * event loop, so the caller served from cache gets its answer before any refresh work runs.
   */
  private refreshInBackground(key: string, venue: VenueId, family: string, exchange: Exchange, driver: VenueDriver): void {
    this.counters.refreshes += 1;
    const nextTurn = new Promise<void>((resolve) => setImmediate(resolve));
    this.start(key, venue, family, exchange, driver, nextTurn).then(
      () => this.refreshErrors.delete(key),
      (error: unknown) => {
        this.refreshErrors.set(key, error);
        this.options.onRefreshError?.(venue, family, error);
      },
    );
  }

  private async fetch(venue: VenueId, family: string, exchange: Exchange, driver: VenueDriver): Promise<FamilyQuotes> {
    const quotes = await driver.fetchFamily(exchange, family, this.options.now);
    const entry: FamilyQuotes = { venue, family, fetchedAt: this.options.now(), quotes: new Map(quotes.map((quote) => [quote.symbol, quote])) };
    this.cache.set(keyOf(venue, family), entry);
    return entry;
  }
}

function keyOf(venue: VenueId, family: string): string {
  return `${venue}:${family}`;
}
