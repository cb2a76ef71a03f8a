import type { Exchange, MarketInterface as Market } from 'ccxt';
import type { VenueId } from './types.js';

/**
 * Expired dated futures for a history window. Venues drop a contract from their market
 * list once it expires, but keep serving its candles, and a 30-day constant maturity a
 * month or more back needs the contracts that were then around 30 days out. No public
 * endpoint lists them for every venue, so they are named from the venues' calendar:
 * monthly and quarterly contracts expire on the last Friday of a month at 08:00 UTC.
 * A candidate the venue never listed simply answers an error and is held as "no data".
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const MONTH_LETTERS = 'FGHJKMNQUVXZ';

const pad = (n: number): string => n.toString().padStart(2, '0');
const yymmdd = (d: Date): string => `${pad(d.getUTCFullYear() % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
const dmmmyy = (d: Date, padDay: boolean): string => `${padDay ? pad(d.getUTCDate()) : d.getUTCDate()}${MONTHS[d.getUTCMonth()]}${pad(d.getUTCFullYear() % 100)}`;

/** The venue's own id of a sibling contract moved to another expiry (binance BTCUSDT_250926, bybit BTCUSDZ25 …). */
export function expiredId(venue: VenueId, templateId: string, expiry: number): string | undefined {
  const d = new Date(expiry);
  const swaps: Record<VenueId, [RegExp, string][]> = {
    binance: [[/_\d{6}$/, `_${yymmdd(d)}`]],
    okx: [[/-\d{6}$/, `-${yymmdd(d)}`]],
    bybit: [
      [/-\d{2}[A-Z]{3}\d{2}$/, `-${dmmmyy(d, true)}`],
      [/[FGHJKMNQUVXZ]\d{2}$/, `${MONTH_LETTERS[d.getUTCMonth()]}${pad(d.getUTCFullYear() % 100)}`],
    ],
    deribit: [[/-\d{1,2}[A-Z]{3}\d{2}$/, `-${dmmmyy(d, false)}`]],
  };
  for (const [pattern, replacement] of swaps[venue]) {
    if (pattern.test(templateId)) return templateId.replace(pattern, replacement);
  }
  return undefined;
}

/** Last Fridays of the months from `from` to `until` (exclusive), 08:00 UTC. */
export function monthEndFridays(from: number, until: number): number[] {
  const result: number[] = [];
  const start = new Date(from);
  for (let offset = 0; ; offset += 1) {
    const lastDay = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + offset + 1, 0));
    const back = (lastDay.getUTCDay() - 5 + 7) % 7;
    const friday = Date.UTC(lastDay.getUTCFullYear(), lastDay.getUTCMonth(), lastDay.getUTCDate() - back, 8);
    if (friday >= until) return result;
    if (friday > from) result.push(friday);
  }
}

/**
 * ccxt markets for the contracts of each live future family (linear/inverse, settle
 * currency) that expired in (from, now], registered on the exchange so fetchOHLCV
 * accepts their symbols. Contracts still listed are left alone.
 */
export function expiredFutures(exchange: Exchange, venue: VenueId, live: Market[], from: number, now: number): Market[] {
  const families = new Map<string, Market>();
  for (const market of live) families.set(`${market.linear ? 'linear' : 'inverse'}|${market.settle}|${market.quote}`, market);
  const created: Market[] = [];
  for (const template of families.values()) {
    for (const expiry of monthEndFridays(from, now)) {
      const id = template.id ? expiredId(venue, template.id, expiry) : undefined;
      const symbol = template.symbol.replace(/-\d{6}$/, `-${yymmdd(new Date(expiry))}`);
      if (!id || symbol === template.symbol) continue;
      const existing = exchange.markets?.[symbol];
      if (existing) {
        if ((existing.expiry ?? 0) <= now) created.push(existing);
        continue;
      }
      const market = { ...template, id, symbol, expiry, expiryDatetime: new Date(expiry).toISOString(), active: false } as Market;
      // ccxt resolves symbols and ids through these two maps; the catalog's own index is untouched.
      if (exchange.markets) exchange.markets[symbol] = market;
      if (exchange.markets_by_id) exchange.markets_by_id[id] = [market];
      created.push(market);
    }
  }
  return created;
}
