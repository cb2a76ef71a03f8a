import type { Exchange, MarketInterface as Market, Ticker } from 'ccxt';
import type { FundingQuote, Quote } from '../types.js';
import { quoteFromTicker } from './ccxt-quotes.js';
import { finite, type VenueDriver } from './driver.js';

/**
 * bybit: three families, one GET /v5/market/tickers each (category spot, linear,
 * inverse). The linear and inverse rows already carry bid/ask, mark, index and funding
 * for perps and dated futures alike, so funding comes from the same rows and costs no
 * second request.
 */
const FAMILIES = ['spot', 'linear', 'inverse'] as const;

/** What GET /v5/market/tickers answers: the rows, and the time the answer was made (ms). */
interface TickersResponse {
  time?: number | string;
  result?: { list?: Record<string, unknown>[] };
}

/**
 * Funding from the raw ticker row through ccxt's own parser. The interval is the
 * market's `fundingInterval` in minutes (what ccxt reads, without its truncation to
 * whole hours), else the row's `fundingIntervalHour`.
 */
function fundingOf(exchange: Exchange, ticker: Ticker, market: Market): FundingQuote | undefined {
  const parsed = exchange.parseFundingRate(ticker.info as never, market);
  const rate = finite(parsed.fundingRate);
  const minutes = finite(market.info?.fundingInterval);
  const intervalHours = minutes ? minutes / 60 : finite(ticker.info?.fundingIntervalHour);
  if (rate === undefined || !intervalHours) return undefined;
  return { rate, intervalHours, nextFundingTime: finite(parsed.fundingTimestamp) };
}

function quoteOf(exchange: Exchange, ticker: Ticker, market: Market, receivedAt: () => number): Quote {
  const funding = market.swap ? fundingOf(exchange, ticker, market) : undefined;
  return { ...quoteFromTicker(ticker, receivedAt), symbol: market.symbol, ...(funding ? { funding } : {}) };
}

export const bybitDriver: VenueDriver = {
  venue: 'bybit',
  familiesFor: () => [...FAMILIES],
  async fetchFamily(exchange, family, receivedAt) {
    if (!(FAMILIES as readonly string[]).includes(family)) throw new Error(`bybit has no market family "${family}"`);
    // ccxt's fetchTickers drops the envelope's `time`, and bybit ticker rows carry none, so
    // every quote looked fresh (stamped on receipt) however old the venue's data was. Call
    // the endpoint ccxt would, give each row the envelope's time, and parse with ccxt.
    const api = exchange as unknown as { publicGetV5MarketTickers(params: Record<string, string>): Promise<TickersResponse> };
    const response = await api.publicGetV5MarketTickers({ category: family });
    const time = finite(response?.time);
    const rows = (response?.result?.list ?? []).map((row) => (row['time'] === undefined && time !== undefined ? { ...row, time } : row));
    const tickers = exchange.parseTickers(rows as never);
    return Object.values(tickers).flatMap((ticker) => {
      const market = ticker.symbol ? exchange.markets?.[ticker.symbol] : undefined;
      return market ? [quoteOf(exchange, ticker, market, receivedAt)] : [];
    });
  },
};
