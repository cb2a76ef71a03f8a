import type { Exchange, FundingRates, Tickers } from 'ccxt';
import type { Quote } from '../types.js';
import { finite, type VenueDriver } from './driver.js';
import { fundingFor, intervalHours, quoteFromTicker } from './ccxt-quotes.js';

/**
 * binance spreads one asset over three APIs, so three families: spot (api/v3),
 * linear (USDⓈ-M fapi: USDT perps and quarterlies) and inverse (COIN-M dapi).
 *
 * Per family: bid/ask from the book ticker (the 24hr ticker of fapi/dapi has none),
 * mark, index and funding from premiumIndex (ccxt's fetchFundingRates: one request that
 * covers perps and futures), and for USDⓈ-M the funding intervals from fundingInfo,
 * which lists only the symbols whose interval was changed from 8h.
 */

const FAMILIES = ['spot', 'linear', 'inverse'] as const;
type Family = (typeof FAMILIES)[number];

/** binance's standard funding interval; COIN-M perps all fund every 8h. */
const DEFAULT_INTERVAL_HOURS = 8;

function isFamily(family: string): family is Family {
  return (FAMILIES as readonly string[]).includes(family);
}

async function fetchDerivatives(exchange: Exchange, subType: 'linear' | 'inverse', receivedAt: () => number): Promise<Quote[]> {
  const [book, premium, intervals] = await Promise.all([
    exchange.fetchBidsAsks(undefined, { type: 'swap', subType }),
    exchange.fetchFundingRates(undefined, { subType }),
    subType === 'linear' ? exchange.fetchFundingIntervals(undefined, { subType }) : Promise.resolve({} as FundingRates),
  ]);
  const symbols = new Set([...Object.keys(book), ...Object.keys(premium)]);
  return [...symbols].map((symbol) => {
    const rate = premium[symbol];
    const base: Quote = book[symbol]
      ? quoteFromTicker(book[symbol], receivedAt)
      : { symbol, timestamp: finite(rate?.timestamp) ?? receivedAt() };
    const quote: Quote = { ...base, mark: finite(rate?.markPrice) ?? base.mark, index: finite(rate?.indexPrice) ?? base.index };
    const interval = intervalHours(intervals[symbol]?.interval) ?? DEFAULT_INTERVAL_HOURS;
    const funding = fundingFor(exchange, symbol, rate, interval);
    return funding ? { ...quote, funding } : quote;
  });
}

async function fetchSpot(exchange: Exchange, receivedAt: () => number): Promise<Quote[]> {
  const book: Tickers = await exchange.fetchBidsAsks(undefined, { type: 'spot' });
  return Object.values(book).map((ticker) => quoteFromTicker(ticker, receivedAt));
}

export const binanceDriver: VenueDriver = {
  venue: 'binance',
  // Every asset may trade in every family; a family fetch answers all assets at once.
  familiesFor: () => [...FAMILIES],
  async fetchFamily(exchange, family, receivedAt) {
    if (!isFamily(family)) throw new Error(`binance has no market family "${family}"`);
    return family === 'spot' ? fetchSpot(exchange, receivedAt) : fetchDerivatives(exchange, family, receivedAt);
  },
};
