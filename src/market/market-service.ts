import type { Logger } from 'pino';
import type { MarketService, MarketStatus } from '../core/services.js';
import { buildVenueCurve } from './curve.js';
import { NoVenueAnsweredError, UnknownAssetError, withTimeout } from './errors.js';
import { selectInstruments } from './instruments.js';
import type { QuoteService } from './quotes.js';
import { closestMatches } from '../core/suggest.js';
import type { CurveSet, VenueCurve, VenueFailure, VenueId } from './types.js';
import { describeVenueError, type VenueCatalog } from './venues.js';
import type { VenueDriver } from './venues/driver.js';

export interface MarketServiceOptions {
  catalog: VenueCatalog;
  quotes: QuoteService;
  drivers: Record<VenueId, VenueDriver>;
  timeoutMs: number;
  staleAfterMs: number;
  watchList: string[];
  /**
   * An asset asked within this long (or on the watch list) is answered from quotes past the
   * TTL, within the cache's grace period, while they refresh. Default 30 minutes.
   */
  recentlyAskedMs?: number;
  now: () => number;
  log: Logger;
}

const DEFAULT_RECENTLY_ASKED_MS = 30 * 60_000;
/** Bounds the memory of recent questions: typos and made-up tickers pass through here too. */
const MAX_RECENT_ASSETS = 1_000;

/** `listed` is undefined when the venue failed before its market list could say. */
type VenueOutcome = { venue: VenueId; curve?: VenueCurve; listed: boolean | undefined; error?: string };

/** The market layer behind every command: curves per venue, partial when venues fail. */
export class CcxtMarketService implements MarketService {
  private readonly lastSuccess = new Map<VenueId, number>();
  /** Asset -> when it was last asked, oldest first. */
  private readonly askedAt = new Map<string, number>();

  constructor(private readonly options: MarketServiceOptions) {}

  venues(): VenueId[] {
    return this.options.catalog.venues;
  }

  async curves(asset: string, only?: VenueId, options: { allowStale?: boolean } = {}): Promise<CurveSet> {
    const symbol = asset.trim().toUpperCase();
    const venues = only ? [only] : this.venues();
    // Only a caller that allows it (a user waiting, not an alert tick) gets quotes past the TTL.
    const allowStale = Boolean(options.allowStale) && this.servesStale(symbol);
    this.noteAsked(symbol);
    const outcomes = await Promise.all(venues.map((venue) => this.venueCurve(venue, symbol, allowStale)));
    const failures: VenueFailure[] = outcomes.filter((outcome) => outcome.error).map((outcome) => ({ venue: outcome.venue, error: outcome.error! }));
    const curves = outcomes.flatMap((outcome) => (outcome.curve ? [outcome.curve] : []));
    if (curves.length === 0) {
      const answered = outcomes.filter((outcome) => !outcome.error);
      // A venue that failed before its market list could say cannot have listed it either way:
      // with every other venue saying "not listed", this is an unknown asset, not an empty market.
      const unchecked = outcomes.filter((outcome) => outcome.error && outcome.listed === undefined);
      if (answered.length > 0 && answered.every((outcome) => !outcome.listed) && unchecked.length === failures.length) {
        const known = await this.knownAssets();
        const listedOn = only ? this.venuesListing(symbol) : [];
        throw new UnknownAssetError(symbol, listedOn.length ? [] : closestMatches(symbol, known), listedOn, failures);
      }
      if (failures.length === venues.length) throw new NoVenueAnsweredError(failures);
    }
    const notListed = outcomes.filter((outcome) => !outcome.error && !outcome.listed).map((outcome) => outcome.venue);
    return { asset: symbol, asOf: new Date(this.options.now()).toISOString(), curves, failures, notListed };
  }

  /** True when every family the asset needs is in the cache: a command's answer will be instant. */
  isCached(asset: string, only?: VenueId): boolean {
    const symbol = asset.trim().toUpperCase();
    const allowStale = this.servesStale(symbol);
    return (only ? [only] : this.venues()).every((venue) =>
      this.options.quotes.isFresh(venue, this.options.drivers[venue].familiesFor(symbol), { allowStale }),
    );
  }

  /** Watched and recently asked assets are answered at once from quotes within the grace period. */
  private servesStale(symbol: string): boolean {
    if (this.options.watchList.includes(symbol)) return true;
    // Asked by anyone (alert ticks and digests too): the community still follows it.
    const asked = this.askedAt.get(symbol);
    return asked !== undefined && this.options.now() - asked <= (this.options.recentlyAskedMs ?? DEFAULT_RECENTLY_ASKED_MS);
  }

  private noteAsked(symbol: string): void {
    this.askedAt.delete(symbol);
    this.askedAt.set(symbol, this.options.now());
    if (this.askedAt.size > MAX_RECENT_ASSETS) this.askedAt.delete(this.askedAt.keys().next().value!);
  }

  /** Base assets of every venue whose market list loads within the time budget. */
  async knownAssets(): Promise<string[]> {
    const { catalog, timeoutMs } = this.options;
    await Promise.allSettled(this.venues().map((venue) => withTimeout(catalog.ready(venue), timeoutMs)));
    const counts = new Map<string, number>();
    for (const { assets } of catalog.loadedAssets()) {
      for (const asset of assets) counts.set(asset, (counts.get(asset) ?? 0) + 1);
    }
    const watch = this.options.watchList;
    // The watch list is what the community trades; after it, assets listed on more venues first.
    return [...counts.keys()].sort((a, b) => {
      const wa = watch.indexOf(a);
      const wb = watch.indexOf(b);
      if (wa !== wb) return (wa === -1 ? Infinity : wa) - (wb === -1 ? Infinity : wb);
      return (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a.localeCompare(b);
    });
  }

  /** Venues whose loaded market list includes the asset (no I/O). */
  private venuesListing(asset: string): VenueId[] {
    return this.options.catalog
      .loadedAssets()
      .filter(({ assets }) => assets.has(asset))
      .map(({ venue }) => venue);
  }

  status(): MarketStatus {
    const quoteStats = this.options.quotes.stats();
    const lookups = quoteStats.hits + quoteStats.misses + quoteStats.coalesced + quoteStats.staleServed;
    return {
      venues: this.venues().map((venue) => {
        const state = this.options.catalog.state(venue);
        const success = this.lastSuccess.get(venue);
        return {
          venue,
          marketsLoaded: Boolean(state?.marketsSource),
          marketsSource: state?.marketsSource,
          lastSuccessAt: success ? new Date(success).toISOString() : undefined,
          lastError: state?.lastError,
          dataAgeMs: this.options.quotes.dataAgeMs(venue),
        };
      }),
      cache: { ...quoteStats, hitRate: lookups ? (quoteStats.hits + quoteStats.coalesced + quoteStats.staleServed) / lookups : 0 },
      // Family fetches, foreground or background (each one or a few venue requests).
      venueRequests: quoteStats.misses + quoteStats.refreshes,
    };
  }

  private async venueCurve(venue: VenueId, asset: string, allowStale: boolean): Promise<VenueOutcome> {
    const { catalog, quotes, drivers, timeoutMs, staleAfterMs, now, log } = this.options;
    const state = catalog.state(venue);
    try {
      return await withTimeout(
        (async (): Promise<VenueOutcome> => {
          const exchange = await catalog.ready(venue);
          const instruments = selectInstruments(catalog.marketsOf(venue, asset), asset, now());
          if (!instruments.spot && !instruments.perp && instruments.futures.length === 0) return { venue, listed: false };
          const driver = drivers[venue];
          const families = await Promise.all(driver.familiesFor(asset).map((family) => quotes.get(venue, family, exchange, driver, { allowStale })));
          // Look symbols up family by family: copying thousands of quotes into one map per query is waste.
          const quoteOf = { get: (symbol: string) => families.find((family) => family.quotes.has(symbol))?.quotes.get(symbol) };
          this.lastSuccess.set(venue, now());
          if (state) state.lastError = undefined;
          const curve = buildVenueCurve({ venue, asset, instruments, quotes: quoteOf, now: now(), staleAfterMs });
          if (!curve) return { venue, listed: true, error: `no priced spot market for ${asset}` };
          const quotesAgeMs = now() - Math.min(...families.map((family) => family.fetchedAt));
          return { venue, listed: true, curve: quotesAgeMs >= quotes.ttlMs ? { ...curve, refreshing: { quotesAgeMs } } : curve };
        })(),
        timeoutMs,
      );
    } catch (error) {
      const reason = describeVenueError(error);
      if (state) state.lastError = reason;
      log.warn({ venue, asset, err: reason }, 'venue failed');
      return { venue, listed: catalog.listsAsset(venue, asset), error: reason };
    }
  }
}
