import { dailyCandles, DAY_MS, fundingEvents, syntheticBook } from '../history.js';
import type { ReplayInstrument, ReplayRequest, ReplayResponse, ReplayUniverse } from '../universe.js';
import { ok, plain, venueInstruments } from './common.js';
import { okxId } from './okx.js';

/**
 * okx's history routes as ccxt 4.5 calls them: market/candles and market/history-candles
 * (fetchOHLCV, bar 1Dutc), public/funding-rate-history and market/books. okx pages with
 * `after` (older than) and `before` (newer than), both exclusive, newest rows first.
 */

const envelope = (data: unknown[]): ReplayResponse => ok({ code: '0', msg: '', data });
const unknownInstrument = (): ReplayResponse => ok({ code: '51001', msg: "Instrument ID, Instrument ID code, or Spread ID doesn't exist.", data: [] });

function bounds(query: URLSearchParams, asOf: number): { from: number; to: number } {
  const before = query.get('before');
  const after = query.get('after');
  return { from: before === null ? 0 : Number(before) + 1, to: after === null ? asOf : Number(after) - 1 };
}

function limitOf(query: URLSearchParams, max: number): number {
  return Math.min(Number(query.get('limit') ?? 100) || 100, max);
}

/** Contracts (derivatives: ctVal coins linear, ctVal USD inverse) or coins (spot) for a money amount. */
function size(instrument: ReplayInstrument, usd: number, price: number): string {
  if (instrument.kind === 'spot') return plain(Number((usd / price).toFixed(8)));
  if (instrument.margin === 'inverse') return String(Math.round(usd / instrument.contractSize));
  return plain(Number((usd / price / instrument.contractSize).toFixed(2)));
}

function candles(query: URLSearchParams, universe: ReplayUniverse): ReplayResponse {
  const instId = query.get('instId');
  if (!['1D', '1Dutc'].includes(query.get('bar') ?? '')) return ok({ code: '51000', msg: 'Parameter bar error', data: [] });
  const matches = (instrument: ReplayInstrument): boolean => okxId(instrument) === instId;
  const { from, to } = bounds(query, universe.asOf);
  const rows = dailyCandles(universe.asOf, 'okx', matches, Math.max(from, to - 1440 * DAY_MS), to);
  if (rows.length === 0 && !venueInstruments(universe, 'okx').some(matches)) return unknownInstrument();
  const newestFirst = rows.reverse().slice(0, limitOf(query, 300));
  return envelope(
    newestFirst.map((candle) => {
      const instrument = venueInstruments(universe, 'okx').find(matches);
      const contracts = instrument && instrument.kind !== 'spot' ? size(instrument, candle.quoteVolume, candle.close) : plain(Number(candle.baseVolume.toFixed(6)));
      const closed = candle.openTime + DAY_MS <= universe.asOf;
      return [String(candle.openTime), plain(candle.open), plain(candle.high), plain(candle.low), plain(candle.close), contracts, plain(Number(candle.baseVolume.toFixed(6))), plain(Number(candle.quoteVolume.toFixed(2))), closed ? '1' : '0'];
    }),
  );
}

function fundingHistory(query: URLSearchParams, universe: ReplayUniverse): ReplayResponse {
  const instId = query.get('instId');
  const matches = (instrument: ReplayInstrument): boolean => okxId(instrument) === instId;
  if (!venueInstruments(universe, 'okx').some((instrument) => instrument.kind === 'perp' && matches(instrument))) return unknownInstrument();
  const { from, to } = bounds(query, universe.asOf);
  const events = fundingEvents(universe.asOf, 'okx', matches, Math.max(from, to - 93 * DAY_MS), to);
  const limit = limitOf(query, 100);
  // Paging forward from `before` gives the rows just after it; otherwise the newest ones.
  const page = query.get('before') !== null && query.get('after') === null ? events.slice(0, limit) : events.slice(-limit);
  return envelope(
    page.reverse().map((event) => ({
      formulaType: 'withRate',
      fundingRate: plain(event.rate),
      fundingTime: String(event.time),
      instId,
      instType: 'SWAP',
      method: 'current_period',
      realizedRate: plain(event.rate),
    })),
  );
}

function books(query: URLSearchParams, universe: ReplayUniverse): ReplayResponse {
  const instrument = venueInstruments(universe, 'okx').find((candidate) => okxId(candidate) === query.get('instId'));
  if (!instrument) return unknownInstrument();
  const book = syntheticBook(instrument, Number(query.get('sz') ?? 1));
  const side = (levels: [number, number][]): string[][] => levels.map(([price, usd]) => [plain(price), size(instrument, usd, price), '0', '3']);
  return envelope([{ asks: side(book.asks), bids: side(book.bids), ts: String(universe.asOf) }]);
}

/** Answers okx's history and book routes; undefined for every other route. */
export function okxHistory(request: ReplayRequest, universe: ReplayUniverse): ReplayResponse | undefined {
  switch (request.path) {
    case '/api/v5/market/candles':
    case '/api/v5/market/history-candles':
      return candles(request.query, universe);
    case '/api/v5/public/funding-rate-history':
      return fundingHistory(request.query, universe);
    case '/api/v5/market/books':
      return books(request.query, universe);
  }
  return undefined;
}
