import type { Exchange, FundingRate, Ticker } from 'ccxt';
import type { FundingQuote, Quote } from '../types.js';
import { finite } from './driver.js';

/**
 * Turning ccxt's parsed structures into basisbot quotes, for any venue driver. Drivers
 * decide which requests make up a family; these helpers only merge what came back.
 */

/** A quote from a ccxt ticker: bid/ask/last/mark/index and the exchange time, else the time of receipt. */
export function quoteFromTicker(ticker: Ticker, receivedAt: () => number): Quote {
  return {
    symbol: ticker.symbol as string,
    bid: finite(ticker.bid),
    ask: finite(ticker.ask),
    last: finite(ticker.last),
    mark: finite(ticker.markPrice),
    index: finite(ticker.indexPrice),
    timestamp: finite(ticker.timestamp) ?? receivedAt(),
  };
}

/** ccxt's funding interval strings ("8h", "4h", "1h") as hours; undefined when absent or odd. */
export function intervalHours(interval: unknown): number | undefined {
  const match = typeof interval === 'string' ? /^(\d+(?:\.\d+)?)h$/.exec(interval) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * Funding for a quote, only for perpetuals: funding lists carry dated futures with empty
 * rates too, and a future has no funding whatever its row says.
 */
export function fundingFor(
  exchange: Exchange,
  symbol: string,
  rate: FundingRate | undefined,
  fallbackIntervalHours: number | undefined,
  nextFundingTime: number | undefined = finite(rate?.fundingTimestamp),
): FundingQuote | undefined {
  const market = exchange.markets?.[symbol];
  const fundingRate = finite(rate?.fundingRate);
  const hours = intervalHours(rate?.interval) ?? fallbackIntervalHours;
  if (!market?.swap || fundingRate === undefined || hours === undefined) return undefined;
  // A zero or 1970 funding time means "none published".
  return { rate: fundingRate, intervalHours: hours, nextFundingTime: nextFundingTime ? nextFundingTime : undefined };
}
