import type { Exchange } from 'ccxt';
import type { Quote } from '../types.js';
import type { VenueDriver } from './driver.js';
import { fundingFor, quoteFromTicker } from './ccxt-quotes.js';

/**
 * okx lists each instType on its own ticker endpoint, linear and inverse together, so
 * three families: spot, swap (USDT and USD perpetuals) and future (every dated contract).
 * Tickers carry bid, ask and last but no mark; swaps add one funding request
 * (instId=ANY: every swap at once), whose interval ccxt derives from the distance
 * between the coming and the following settlement.
 */

const FAMILIES = ['spot', 'swap', 'future'] as const;
type Family = (typeof FAMILIES)[number];

function isFamily(family: string): family is Family {
  return (FAMILIES as readonly string[]).includes(family);
}

async function fetchTickerQuotes(exchange: Exchange, family: Family, receivedAt: () => number): Promise<Quote[]> {
  const tickers = await exchange.fetchTickers(undefined, { type: family });
  return Object.values(tickers).map((ticker) => quoteFromTicker(ticker, receivedAt));
}

async function fetchSwaps(exchange: Exchange, receivedAt: () => number): Promise<Quote[]> {
  const [quotes, rates] = await Promise.all([fetchTickerQuotes(exchange, 'swap', receivedAt), exchange.fetchFundingRates()]);
  return quotes.map((quote) => {
    // okx's fundingTime is the coming settlement: what basisbot calls the next funding time.
    const funding = fundingFor(exchange, quote.symbol, rates[quote.symbol], undefined);
    return funding ? { ...quote, funding } : quote;
  });
}

export const okxDriver: VenueDriver = {
  venue: 'okx',
  // Every asset may trade in every family; a family fetch answers all assets at once.
  familiesFor: () => [...FAMILIES],
  async fetchFamily(exchange, family, receivedAt) {
    if (!isFamily(family)) throw new Error(`okx has no market family "${family}"`);
    return family === 'swap' ? fetchSwaps(exchange, receivedAt) : fetchTickerQuotes(exchange, family, receivedAt);
  },
};
