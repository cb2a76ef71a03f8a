import { dailyCandles, DAY_MS, fundingEvents, syntheticBook } from '../history.js';
import type { ReplayInstrument, ReplayRequest, ReplayResponse, ReplayUniverse } from '../universe.js';
import { binanceId } from './binance.js';
import { decimalsOf, fail, fixed, lotStep, ok, venueInstruments } from './common.js';

/**
 * binance's history routes as ccxt 4.5 calls them, on all three APIs: klines
 * (fetchOHLCV: arrays of strings, oldest first), fundingRate (fetchFundingRateHistory,
 * fapi/dapi only) and depth (fetchOrderBook). Expired quarterlies keep their klines.
 */

type Family = 'spot' | 'linear' | 'inverse';
const FAMILIES: Record<string, Family> = { 'api.binance.com': 'spot', 'fapi.binance.com': 'linear', 'dapi.binance.com': 'inverse' };
const PREFIXES: Record<Family, string> = { spot: '/api/v3', linear: '/fapi/v1', inverse: '/dapi/v1' };
const INVALID_SYMBOL = fail(400, { code: -1121, msg: 'Invalid symbol.' });

function familyOf(instrument: ReplayInstrument): Family {
  return instrument.kind === 'spot' ? 'spot' : instrument.margin;
}

function numberParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  return raw === null ? undefined : Number(raw);
}

/** binance's window: startTime/endTime, else the newest `limit` rows up to now. */
function window(query: URLSearchParams, asOf: number, stepMs: number, defaultLimit: number, maxLimit: number): { from: number; to: number; limit: number } {
  const limit = Math.min(numberParam(query, 'limit') ?? defaultLimit, maxLimit);
  const to = numberParam(query, 'endTime') ?? asOf;
  const from = numberParam(query, 'startTime') ?? to - (limit - 1) * stepMs;
  return { from, to, limit };
}

function klines(family: Family, query: URLSearchParams, universe: ReplayUniverse): ReplayResponse {
  const symbol = query.get('symbol');
  if (query.get('interval') !== '1d') return fail(400, { code: -1120, msg: 'Invalid interval.' });
  const matches = (instrument: ReplayInstrument): boolean => familyOf(instrument) === family && binanceId(instrument) === symbol;
  const { from, to, limit } = window(query, universe.asOf, DAY_MS, 500, family === 'spot' ? 1000 : 1500);
  const candles = dailyCandles(universe.asOf, 'binance', matches, from, to).slice(0, limit);
  // Expired quarterlies still answer (from history); a symbol never listed is an error.
  if (candles.length === 0 && !venueInstruments(universe, 'binance').some(matches)) return INVALID_SYMBOL;
  return ok(
    candles.map((candle) => [
      candle.openTime,
      String(candle.open),
      String(candle.high),
      String(candle.low),
      String(candle.close),
      fixed(candle.baseVolume, 8),
      candle.openTime + DAY_MS - 1,
      fixed(candle.quoteVolume, 8),
      1000,
      fixed(candle.baseVolume / 2, 8),
      fixed(candle.quoteVolume / 2, 8),
      '0',
    ]),
  );
}

function fundingRate(family: Family, query: URLSearchParams, universe: ReplayUniverse): ReplayResponse {
  const symbol = query.get('symbol');
  const matches = (instrument: ReplayInstrument): boolean => familyOf(instrument) === family && binanceId(instrument) === symbol;
  const { from, to, limit } = window(query, universe.asOf, 8 * 3_600_000, 100, 1000);
  const events = fundingEvents(universe.asOf, 'binance', matches, from, to);
  // Without a startTime binance answers the newest rows; with one, the oldest from it.
  const rows = query.get('startTime') === null ? events.slice(-limit) : events.slice(0, limit);
  return ok(rows.map((event) => ({ symbol, fundingTime: event.time, fundingRate: fixed(event.rate, 8), markPrice: '' })));
}

function depth(family: Family, query: URLSearchParams, universe: ReplayUniverse): ReplayResponse {
  const instrument = venueInstruments(universe, 'binance').find((candidate) => familyOf(candidate) === family && binanceId(candidate) === query.get('symbol'));
  if (!instrument) return INVALID_SYMBOL;
  const book = syntheticBook(instrument, Number(query.get('limit') ?? 100));
  // Spot and USDⓈ-M count coins (to the lot step), COIN-M whole contracts of contractSize USD.
  const decimals = family === 'spot' ? 8 : decimalsOf(lotStep(instrument.mark));
  const amount = (price: number, usd: number): string => (family === 'inverse' ? String(Math.round(usd / instrument.contractSize)) : fixed(usd / price, decimals));
  const side = (levels: [number, number][]): string[][] => levels.map(([price, usd]) => [String(price), amount(price, usd)]);
  const stamp = family === 'spot' ? {} : { E: universe.asOf, T: universe.asOf };
  return ok({ lastUpdateId: universe.asOf, ...stamp, bids: side(book.bids), asks: side(book.asks) });
}

/** Answers binance's history and book routes; undefined for every other route. */
export function binanceHistory(request: ReplayRequest, universe: ReplayUniverse): ReplayResponse | undefined {
  const family = FAMILIES[request.host];
  if (!family) return undefined;
  const route = request.path.slice(PREFIXES[family].length);
  if (route === '/klines') return klines(family, request.query, universe);
  if (route === '/depth') return depth(family, request.query, universe);
  if (route === '/fundingRate' && family !== 'spot') return fundingRate(family, request.query, universe);
  return undefined;
}
