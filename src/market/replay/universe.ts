import type { VenueId } from '../types.js';

/**
 * The replay's market at one instant, in venue-neutral terms. The bundled snapshot
 * (snapshot.json) describes prices as spreads and annualized basis per tenor; the
 * builder turns it into this list for a given clock, so expiries and timestamps always
 * sit in the future/past of whatever "now" the bot runs at. Each venue's encoder then
 * renders these instruments in that venue's own wire format.
 */
export interface ReplayInstrument {
  venue: VenueId;
  /** Base asset, e.g. BTC. */
  asset: string;
  kind: 'spot' | 'perp' | 'future';
  /**
   * linear: quoted and settled in `quote` (USDT/USDC); inverse: quoted in USD, settled in the asset.
   * Spot is always 'linear'.
   */
  margin: 'linear' | 'inverse';
  /** Quote currency: USDT, USDC or USD (inverse). */
  quote: 'USDT' | 'USDC' | 'USD';
  /** Expiry in ms (futures only). Venues expire at 08:00 UTC. */
  expiry?: number;
  bid: number;
  ask: number;
  last: number;
  mark: number;
  index: number;
  /** Funding rate per interval (perps only), fraction. */
  fundingRate?: number;
  fundingIntervalHours?: number;
  /** ms (perps only). */
  nextFundingTime?: number;
  /** Contract size: 1 coin for linear, USD face value for inverse (100 BTC / 10 others on binance, etc.). */
  contractSize: number;
  tickSize: number;
  /** 24h volume in quote currency, used for ranking autocomplete by liquidity. */
  volume24hQuote: number;
  /** Exchange timestamp of the quote in ms. */
  timestamp: number;
}

export interface ReplayUniverse {
  asOf: number;
  instruments: ReplayInstrument[];
}

/** A request as the replay server sees it: `<base>/<host><path>?<query>`. */
export interface ReplayRequest {
  host: string;
  path: string;
  query: URLSearchParams;
}

export interface ReplayResponse {
  status: number;
  /** Serialised as JSON unless it is already a string. */
  body: unknown;
  headers?: Record<string, string>;
}

/** One venue's wire format: answers the requests ccxt makes for that venue, or undefined if not its route. */
export interface VenueEncoder {
  venue: VenueId;
  /** Hosts this venue's ccxt class talks to (after `urls.api` is rewritten). */
  hosts: string[];
  handle(request: ReplayRequest, universe: ReplayUniverse): ReplayResponse | undefined;
}
