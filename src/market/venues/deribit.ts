import type { MarketInterface as Market, Ticker } from 'ccxt';
import type { Quote } from '../types.js';
import { quoteFromTicker } from './ccxt-quotes.js';
import { finite, type VenueDriver } from './driver.js';

/**
 * deribit: families are `<kind>:<currency>`, each one
 * GET public/get_book_summary_by_currency?currency=<currency>&kind=<kind>.
 * BTC and ETH list their inverse perpetual and futures (future:BTC) and their USDC spot
 * pair (spot:BTC) under their own name; every other asset trades only against USDC,
 * so its spot pair and linear perpetual sit under USDC (spot:USDC, future:USDC).
 */
const OWN_CURRENCY_ASSETS = ['BTC', 'ETH'];
const KINDS = ['future', 'spot'];
/** deribit accrues funding continuously and quotes it as an 8-hour rate. */
const FUNDING_INTERVAL_HOURS = 8;

/** Combo instruments (BTC-FS-...) parse as futures that are neither linear nor inverse. */
function isOutright(market: Market): boolean {
  if (market.spot) return true;
  return Boolean(market.swap || market.future) && (market.linear !== undefined || market.inverse !== undefined);
}

function quoteOf(ticker: Ticker, market: Market, receivedAt: () => number): Quote {
  const rate = market.swap ? finite(ticker.info?.funding_8h) : undefined;
  return {
    ...quoteFromTicker(ticker, receivedAt),
    symbol: market.symbol,
    // The book summary has no index_price; its estimated delivery price is the index.
    index: finite(ticker.info?.estimated_delivery_price) ?? finite(ticker.indexPrice),
    ...(rate !== undefined ? { funding: { rate, intervalHours: FUNDING_INTERVAL_HOURS } } : {}),
  };
}

export const deribitDriver: VenueDriver = {
  venue: 'deribit',
  familiesFor(asset) {
    const code = asset.trim().toUpperCase();
    return OWN_CURRENCY_ASSETS.includes(code) ? [`future:${code}`, `spot:${code}`] : ['spot:USDC', 'future:USDC'];
  },
  async fetchFamily(exchange, family, receivedAt) {
    const [kind, currency] = family.split(':');
    if (!KINDS.includes(kind) || !currency) throw new Error(`deribit has no market family "${family}"`);
    const tickers = await exchange.fetchTickers(undefined, { code: currency, kind });
    return Object.values(tickers).flatMap((ticker) => {
      const market = ticker.symbol ? exchange.markets?.[ticker.symbol] : undefined;
      return market && isOutright(market) ? [quoteOf(ticker, market, receivedAt)] : [];
    });
  },
};
