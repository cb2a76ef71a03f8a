import type { Exchange, MarketInterface as Market } from 'ccxt';
import type { BookLevel } from '../basis/execution.js';
import type { VenueId } from './types.js';

/**
 * Order books through ccxt's fetchOrderBook, with every amount turned into coins of the
 * base asset so one walk works on every venue. ccxt hands amounts over in the venue's
 * own unit: coins on spot, contracts of `contractSize` on derivatives (coins for linear,
 * USD for inverse), except deribit, whose inverse books are already in USD.
 */

export interface CoinBook {
  venue: VenueId;
  symbol: string;
  bids: BookLevel[];
  asks: BookLevel[];
  /** Taker fee rate the venue's market list gives (a default where it gives none). */
  takerFee: number;
  timestamp?: number;
}

/** Public taker fees where a market carries none: 10 bps spot, 5 bps derivatives. */
const DEFAULT_TAKER = { spot: 0.001, derivative: 0.0005 };

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

export async function fetchCoinBook(exchange: Exchange, venue: VenueId, symbol: string, depth = 25): Promise<CoinBook> {
  const market = exchange.market(symbol);
  const book = await exchange.fetchOrderBook(symbol, depth);
  const taker = typeof market.taker === 'number' ? market.taker : market.spot ? DEFAULT_TAKER.spot : DEFAULT_TAKER.derivative;
  return {
    venue,
    symbol,
    bids: toCoins(venue, market, book.bids as [number, number][]),
    asks: toCoins(venue, market, book.asks as [number, number][]),
    takerFee: taker,
    timestamp: book.timestamp,
  };
}
