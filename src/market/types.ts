/** Venue ids as ccxt names them; the default set is configurable through VENUES. */
export const SUPPORTED_VENUES = ['binance', 'okx', 'bybit', 'deribit'] as const;
export type VenueId = (typeof SUPPORTED_VENUES)[number];

/** Which price a number came from: bid/ask midpoint, else mark, else last trade. */
export type PriceSource = 'mid' | 'mark' | 'last';

/** One instrument's quote as parsed by ccxt, merged across the venue's endpoints. */
export interface Quote {
  symbol: string;
  bid?: number;
  ask?: number;
  last?: number;
  mark?: number;
  index?: number;
  /** Exchange time of the quote in ms; the time of receipt where the venue sends none. */
  timestamp: number;
  funding?: FundingQuote;
}

export interface FundingQuote {
  /** Rate per funding interval, as a fraction (0.0001 = 0.01%). */
  rate: number;
  intervalHours: number;
  /** Next funding time in ms, when the venue publishes one. */
  nextFundingTime?: number;
}

export interface PricedLeg {
  symbol: string;
  price: number;
  priceSource: PriceSource;
  /** Exchange time of the price, ISO. */
  timestamp: string;
  ageMs: number;
  stale: boolean;
}

export interface FundingLeg {
  rate: number;
  intervalHours: number;
  /** rate × 8760 / intervalHours. */
  annualizedRate: number;
  /** rate normalised to an 8h interval, for cross-venue comparison. */
  ratePer8h: number;
  nextFundingTime: string | null;
}

export interface PerpLeg extends PricedLeg {
  funding: FundingLeg | null;
  /** Premium of the perp over spot as a fraction. */
  premiumRate: number;
}

export interface FutureLeg extends PricedLeg {
  expiry: string;
  daysToExpiry: number;
  margin: 'linear' | 'inverse';
  basis: number;
  basisRate: number;
  annualizedRate: number;
}

export type MarketState = 'contango' | 'backwardation' | 'flat' | 'mixed';

/** One venue's term structure for one asset at one moment. */
export interface VenueCurve {
  venue: VenueId;
  asset: string;
  asOf: string;
  spot: PricedLeg;
  perp: PerpLeg | null;
  futures: FutureLeg[];
  state: MarketState;
  /** True when any leg used is older than the staleness limit. */
  stale: boolean;
  /**
   * Present when the answer came from quotes past the cache TTL (serve-stale-while-refresh):
   * how long ago basisbot fetched them (the oldest family used); a refresh is under way.
   */
  refreshing?: { quotesAgeMs: number };
}

export interface VenueFailure {
  venue: VenueId;
  error: string;
}

/** The answer to "what is the basis of ASSET": every venue that answered, and every one that did not. */
export interface CurveSet {
  asset: string;
  asOf: string;
  curves: VenueCurve[];
  failures: VenueFailure[];
  /** Venues that answered but do not list the asset (not a failure). */
  notListed: VenueId[];
}
