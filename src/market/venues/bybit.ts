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
const FAMILY_PARAMS: Record<string, Record<string, string>> = {
  spot: { type: 'spot' },
  linear: { type: 'swap', subType: 'linear' },
  inverse: { type: 'swap', subType: 'inverse' },
};

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
  // bybit tickers carry no time of their own: quoteFromTicker stamps the time of receipt.
  return { ...quoteFromTicker(ticker, receivedAt), symbol: market.symbol, ...(funding ? { funding } : {}) };
}

export const bybitDriver: VenueDriver = {
  venue: 'bybit',
  familiesFor: () => Object.keys(FAMILY_PARAMS),
  async fetchFamily(exchange, family, receivedAt) {
    const params = FAMILY_PARAMS[family];
    if (!params) throw new Error(`bybit has no market family "${family}"`);
    const tickers = await exchange.fetchTickers(undefined, { ...params });
    return Object.values(tickers).flatMap((ticker) => {
      const market = ticker.symbol ? exchange.markets?.[ticker.symbol] : undefined;
      return market ? [quoteOf(exchange, ticker, market, receivedAt)] : [];
    });
  },
};
