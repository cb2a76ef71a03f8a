import { dailyCandles, DAY_MS, fundingEvents, syntheticBook } from '../history.js';
import type { ReplayInstrument, ReplayRequest, ReplayResponse, ReplayUniverse } from '../universe.js';
import { bybitSymbol } from './bybit.js';
import { decimalsOf, lotStep, plain, venueInstruments } from './common.js';

/**
 * bybit v5's history routes as ccxt 4.5 calls them: market/kline (fetchOHLCV, interval D),
 * market/funding/history and market/orderbook. Lists come newest first; `start`/`end`
 * (kline) and `startTime`/`endTime` (funding) bound them inclusively.
 */

function envelope(result: unknown, universe: ReplayUniverse): ReplayResponse {
  return { status: 200, body: { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: universe.asOf } };
}

function notSupported(universe: ReplayUniverse): ReplayResponse {
  return { status: 200, body: { retCode: 10001, retMsg: 'Not supported symbols', result: {}, retExtInfo: {}, time: universe.asOf } };
}

function categoryOf(instrument: ReplayInstrument): string {
  return instrument.kind === 'spot' ? 'spot' : instrument.margin;
}

function matcher(query: URLSearchParams): (instrument: ReplayInstrument) => boolean {
  const [category, symbol] = [query.get('category'), query.get('symbol')];
  return (instrument) => categoryOf(instrument) === category && bybitSymbol(instrument) === symbol;
}

/** Coins (spot, linear: to the lot step) or contracts of contractSize USD (inverse). */
function size(instrument: ReplayInstrument, usd: number, price: number): string {
  if (instrument.margin === 'inverse' && instrument.kind !== 'spot') return String(Math.round(usd / instrument.contractSize));
  const step = lotStep(instrument.mark);
  return (Math.round(usd / price / step) * step).toFixed(decimalsOf(step));
}

function newest<T>(rows: T[], query: URLSearchParams, fallback: number, max: number): T[] {
  return rows.reverse().slice(0, Math.min(Number(query.get('limit') ?? fallback) || fallback, max));
}

function kline(query: URLSearchParams, universe: ReplayUniverse): ReplayResponse {
  const matches = matcher(query);
  if (query.get('interval') !== 'D') return { status: 200, body: { retCode: 10001, retMsg: 'Invalid period!', result: {}, retExtInfo: {}, time: universe.asOf } };
  const to = Number(query.get('end') ?? universe.asOf);
  const from = Number(query.get('start') ?? to - 1000 * DAY_MS);
  const candles = dailyCandles(universe.asOf, 'bybit', matches, from, to);
  if (candles.length === 0 && !venueInstruments(universe, 'bybit').some(matches)) return notSupported(universe);
  const inverse = query.get('category') === 'inverse';
  const list = newest(candles, query, 200, 1000).map((candle) => [
    String(candle.openTime),
    plain(candle.open),
    plain(candle.high),
    plain(candle.low),
    plain(candle.close),
    // Inverse: volume in contracts (USD), turnover in coins; otherwise volume in coins, turnover in quote.
    plain(Number((inverse ? candle.quoteVolume : candle.baseVolume).toFixed(4))),
    plain(Number((inverse ? candle.baseVolume : candle.quoteVolume).toFixed(4))),
  ]);
  return envelope({ category: query.get('category'), symbol: query.get('symbol'), list }, universe);
}

function fundingHistory(query: URLSearchParams, universe: ReplayUniverse): ReplayResponse {
  const matches = matcher(query);
  if (!venueInstruments(universe, 'bybit').some((instrument) => instrument.kind === 'perp' && matches(instrument))) return notSupported(universe);
  const to = Number(query.get('endTime') ?? universe.asOf);
  const from = Number(query.get('startTime') ?? to - 200 * DAY_MS);
  const list = newest(fundingEvents(universe.asOf, 'bybit', matches, from, to), query, 200, 200).map((event) => ({
    symbol: query.get('symbol'),
    fundingRate: plain(event.rate),
    fundingRateTimestamp: String(event.time),
  }));
  return envelope({ category: query.get('category'), list }, universe);
}

function orderbook(query: URLSearchParams, universe: ReplayUniverse): ReplayResponse {
  const instrument = venueInstruments(universe, 'bybit').find(matcher(query));
  if (!instrument) return notSupported(universe);
  const book = syntheticBook(instrument, Number(query.get('limit') ?? 25));
  const side = (levels: [number, number][]): string[][] => levels.map(([price, usd]) => [plain(price), size(instrument, usd, price)]);
  return envelope({ s: query.get('symbol'), b: side(book.bids), a: side(book.asks), ts: universe.asOf, u: 1, seq: 1, cts: universe.asOf }, universe);
}

/** Answers bybit's history and book routes; undefined for every other route. */
export function bybitHistory(request: ReplayRequest, universe: ReplayUniverse): ReplayResponse | undefined {
  switch (request.path) {
    case '/v5/market/kline':
      return kline(request.query, universe);
    case '/v5/market/funding/history':
      return fundingHistory(request.query, universe);
    case '/v5/market/orderbook':
      return orderbook(request.query, universe);
  }
  return undefined;
}
