import type { Exchange } from 'ccxt';
import type { Quote, VenueId } from '../types.js';

/**
 * What basisbot needs from one venue, on top of ccxt: which market families hold the
 * quotes for an asset, and how to fetch one family in as few requests as the venue
 * allows. A family is the unit of caching and request coalescing: every asset in it
 * is answered by the same fetch, so `/basis BTC` and `/basis ETH` share requests.
 */
export interface VenueDriver {
  venue: VenueId;
  /** Families whose quotes answer a question about `asset` (e.g. binance: spot, linear, inverse). */
  familiesFor(asset: string): string[];
  /**
   * Fetches one family through ccxt: every quote in it, with bid/ask, mark, last and,
   * for perpetuals, funding (rate, interval, next time). `receivedAt` stamps quotes
   * whose venue sends no timestamp.
   */
  fetchFamily(exchange: Exchange, family: string, receivedAt: () => number): Promise<Quote[]>;
}

/** A finite number from ccxt's loosely typed fields, or undefined. */
export function finite(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}
