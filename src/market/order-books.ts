import type { Exchange, MarketInterface as Market } from 'ccxt';
import type { BookLevel } from '../basis/execution.js';
import { SUPPORTED_VENUES, type VenueId } from './types.js';

/**
 * Order books through ccxt's fetchOrderBook, with every amount turned into coins of the
 * base asset so one walk works on every venue. ccxt hands amounts over in the venue's
 * own unit: coins on spot, contracts of `contractSize` on derivatives (coins for linear,
 * USD for inverse), except deribit, whose inverse books are already in USD.
 */

/** Where a taker fee came from: the operator's config, ccxt's market list, or our default. */
export type FeeSource = 'config' | 'venue' | 'default';

export interface CoinBook {
  venue: VenueId;
  symbol: string;
  bids: BookLevel[];
  asks: BookLevel[];
  /** Taker fee rate: the config override, else the venue's market list, else a default. */
  takerFee: number;
  feeSource: FeeSource;
  timestamp?: number;
}

/** Per-venue taker fees that replace ccxt's (an account on a VIP tier pays less than the public rate). */
export type TakerFeeOverrides = Partial<Record<VenueId, { spot: number; derivative: number }>>;

/** Public taker fees where a market carries none: 10 bps spot, 5 bps derivatives. */
const DEFAULT_TAKER = { spot: 0.001, derivative: 0.0005 };

function feeRate(raw: string): number | undefined {
  const text = raw.trim();
  const value = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
  // Above 5 % a "fee" is surely a typo (0.1 meant as percent), so it is refused, not used.
  return text !== '' && Number.isFinite(value) && value >= 0 && value <= 0.05 ? value : undefined;
}

/**
 * `binance=0.075%/0.04%,okx=0.05%`: per venue, one taker fee for both legs or
 * spot/derivatives. Rates are fractions or percents. An error names the bad entry.
 */
export function parseTakerFees(raw: string): TakerFeeOverrides | { error: string } {
  const result: TakerFeeOverrides = {};
  for (const entry of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = /^([a-z]+)\s*=\s*([^/]+)(?:\/(.+))?$/i.exec(entry);
    const venue = match?.[1].toLowerCase() as VenueId | undefined;
    if (!match || !venue || !SUPPORTED_VENUES.includes(venue)) return { error: `"${entry}" is not venue=fee (venues: ${SUPPORTED_VENUES.join(', ')})` };
    const spot = feeRate(match[2]);
    const derivative = match[3] === undefined ? spot : feeRate(match[3]);
    if (spot === undefined || derivative === undefined) return { error: `"${entry}": a fee is a rate between 0 and 5%, such as 0.05% or 0.0005` };
    result[venue] = { spot, derivative };
  }
  return result;
}

/** How many coins one unit of a book amount is, at `price`. */
export function coinsPerUnit(venue: VenueId, market: Market, price: number): number {
  if (!market.contract) return 1;
  const size = market.contractSize ?? 1;
  if (market.inverse) return venue === 'deribit' ? 1 / price : size / price;
  return size;
}

function toCoins(venue: VenueId, market: Market, levels: [number | undefined, number | undefined][]): BookLevel[] {
  return levels.flatMap(([price, amount]) =>
    typeof price === 'number' && typeof amount === 'number' && price > 0 && amount > 0 ? [[price, amount * coinsPerUnit(venue, market, price)] as BookLevel] : [],
  );
}

/** The taker fee for one market and where it came from. */
export function takerFeeOf(venue: VenueId, market: Market, overrides: TakerFeeOverrides = {}): { takerFee: number; feeSource: FeeSource } {
  const kind = market.spot ? 'spot' : 'derivative';
  const configured = overrides[venue]?.[kind];
  if (configured !== undefined) return { takerFee: configured, feeSource: 'config' };
  if (typeof market.taker === 'number') return { takerFee: market.taker, feeSource: 'venue' };
  return { takerFee: DEFAULT_TAKER[kind], feeSource: 'default' };
}

export async function fetchCoinBook(exchange: Exchange, venue: VenueId, symbol: string, depth = 25, overrides?: TakerFeeOverrides): Promise<CoinBook> {
  const market = exchange.market(symbol);
  const book = await exchange.fetchOrderBook(symbol, depth);
  return {
    venue,
    symbol,
    bids: toCoins(venue, market, book.bids as [number, number][]),
    asks: toCoins(venue, market, book.asks as [number, number][]),
    ...takerFeeOf(venue, market, overrides),
    timestamp: book.timestamp,
  };
}
