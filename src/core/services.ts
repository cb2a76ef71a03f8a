import type { AlertsApi } from '../alerts/service.js';
import type { PushService } from '../delivery/push.js';
import type { DigestsApi } from '../digests/types.js';
import type { CurveSet, VenueId } from '../market/types.js';

export interface VenueStatus {
  venue: VenueId;
  marketsLoaded: boolean;
  /** Where the market list came from: the on-disk cache or the venue. */
  marketsSource?: 'cache' | 'venue';
  lastSuccessAt?: string;
  lastError?: string;
  /** Age of the newest cached quote family, ms. */
  dataAgeMs?: number;
}

export interface MarketStatus {
  venues: VenueStatus[];
  /** staleServed: answered from quotes past the TTL (within the grace period) while they refreshed. */
  cache: { hits: number; misses: number; coalesced: number; staleServed?: number; hitRate: number };
  venueRequests: number;
}

/** What commands may ask of the market layer. */
export interface MarketService {
  venues(): VenueId[];
  /**
   * Every venue's curve for the asset (or one venue's), with the failures named. `allowStale`
   * (a user waiting): a watched or recently asked asset may be answered from quotes a little
   * past the TTL, marked with their age, while they refresh; pushed work asks without it.
   */
  curves(asset: string, venue?: VenueId, options?: { allowStale?: boolean }): Promise<CurveSet>;
  /** True when every quote the asset needs is cached: an answer needs no venue round trip. */
  isCached(asset: string, venue?: VenueId): boolean;
  /** Base assets listed on any venue, most liquid first. */
  knownAssets(): Promise<string[]>;
  status(): MarketStatus;
}

export interface CurveChartInput {
  asset: string;
  asOf: string;
  series: { venue: string; points: { daysToExpiry: number; annualizedRate: number; label: string }[] }[];
}

/** The services a command can reach, assembled once in the composition root. */
export interface Services {
  market: MarketService;
  renderCurveChart(input: CurveChartInput): Promise<Buffer>;
  /** Assets the /top scanner watches. */
  watchList: string[];
  startedAt: number;
  /** Pushed messages (alerts, digests) go out through the outbox behind this. */
  push?: PushService;
  /** Daily history, carry and order books beyond the snapshot (/history, /carry, /basis size=); absent where not wired. */
  history?: import('../market/history-service.js').HistoryService;
  /** /alert's rules and their evaluator (src/alerts); absent where alerts are not wired. */
  alerts?: AlertsApi;
  /** Scheduled digests (/digest, src/digests); absent where digests are not wired. */
  digests?: DigestsApi;
}
