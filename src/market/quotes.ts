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
}

export interface QuoteServiceOptions {
  ttlMs: number;
  now: () => number;
}

/**
 * Quotes per (venue, family) with a short TTL cache and in-flight coalescing: however
 * many queries arrive together, each family is fetched once, so venue load does not
 * grow with chat traffic. A failure is not cached; the next caller tries again.
 */
export class QuoteService {
  private readonly cache = new Map<string, FamilyQuotes>();
  private readonly inFlight = new Map<string, Promise<FamilyQuotes>>();
  private readonly counters: QuoteCacheStats = { hits: 0, misses: 0, coalesced: 0 };

  constructor(private readonly options: QuoteServiceOptions) {}

  /** The family's quotes, from cache when younger than the TTL. */
  get(venue: VenueId, family: string, exchange: Exchange, driver: VenueDriver): Promise<FamilyQuotes> {
    const key = `${venue}:${family}`;
    const cached = this.cache.get(key);
    if (cached && this.options.now() - cached.fetchedAt < this.options.ttlMs) {
      this.counters.hits += 1;
      return Promise.resolve(cached);
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      this.counters.coalesced += 1;
      return pending;
    }
    this.counters.misses += 1;
    const fetch = this.fetch(venue, family, exchange, driver).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, fetch);
    return fetch;
  }

  /** True when every family is cached and fresh: the answer needs no venue request. */
  isFresh(venue: VenueId, families: string[]): boolean {
    const now = this.options.now();
    return families.every((family) => {
      const cached = this.cache.get(`${venue}:${family}`);
      return cached !== undefined && now - cached.fetchedAt < this.options.ttlMs;
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

  private async fetch(venue: VenueId, family: string, exchange: Exchange, driver: VenueDriver): Promise<FamilyQuotes> {
    const quotes = await driver.fetchFamily(exchange, family, this.options.now);
    const entry: FamilyQuotes = { venue, family, fetchedAt: this.options.now(), quotes: new Map(quotes.map((quote) => [quote.symbol, quote])) };
    this.cache.set(`${venue}:${family}`, entry);
    return entry;
  }
}
