import { dailyCandles, DAY_MS, fundingEvents, syntheticBook } from '../history.js';
import type { ReplayInstrument, ReplayResponse, ReplayUniverse } from '../universe.js';
import { fail, ok, venueInstruments } from './common.js';
import { deribitInstrumentName } from './deribit.js';

/**
 * deribit's history methods as ccxt 4.5 calls them: get_tradingview_chart_data
 * (fetchOHLCV, resolution 1D, columns of numbers), get_funding_rate_history (hourly rows
 * quoting the 8h rate) and get_order_book (inverse futures count USD, the rest coins).
 */

function rpc(result: unknown, universe: ReplayUniverse): ReplayResponse {
  const usIn = universe.asOf * 1000;
  return ok({ jsonrpc: '2.0', result, usIn, usOut: usIn + 91, usDiff: 91, testnet: false });
}

function notFound(universe: ReplayUniverse): ReplayResponse {
  const usIn = universe.asOf * 1000;
  const error = { message: 'Invalid params', data: { reason: 'instrument not found', param: 'instrument_name' }, code: -32602 };
  return fail(400, { jsonrpc: '2.0', error, usIn, usOut: usIn + 91, usDiff: 91, testnet: false });
}

function matcher(query: URLSearchParams): (instrument: ReplayInstrument) => boolean {
  const name = query.get('instrument_name');
  return (instrument) => deribitInstrumentName(instrument) === name;
}

function range(query: URLSearchParams, asOf: number, span: number): { from: number; to: number } {
  const to = Number(query.get('end_timestamp') ?? asOf);
  return { from: Number(query.get('start_timestamp') ?? to - span), to };
}

function chartData(query: URLSearchParams, universe: ReplayUniverse): ReplayResponse {
  const matches = matcher(query);
  const { from, to } = range(query, universe.asOf, 5000 * DAY_MS);
  const candles = query.get('resolution') === '1D' ? dailyCandles(universe.asOf, 'deribit', matches, from, to) : [];
  if (candles.length === 0 && !venueInstruments(universe, 'deribit').some(matches)) return notFound(universe);
  const column = (pick: (index: number) => number): number[] => candles.map((_, index) => pick(index));
  return rpc(
    {
      ticks: column((i) => candles[i].openTime),
      open: column((i) => candles[i].open),
      high: column((i) => candles[i].high),
      low: column((i) => candles[i].low),
      close: column((i) => candles[i].close),
      volume: column((i) => Number(candles[i].baseVolume.toFixed(4))),
      cost: column((i) => Number(candles[i].quoteVolume.toFixed(2))),
      status: candles.length ? 'ok' : 'no_data',
    },
    universe,
  );
}

function fundingHistory(query: URLSearchParams, universe: ReplayUniverse): ReplayResponse {
  const matches = matcher(query);
  if (!venueInstruments(universe, 'deribit').some((instrument) => instrument.kind === 'perp' && matches(instrument))) return notFound(universe);
  const { from, to } = range(query, universe.asOf, 30 * DAY_MS);
  // deribit publishes hourly, each row quoting the rate as an 8-hour rate; at most 744 rows.
  const rows = fundingEvents(universe.asOf, 'deribit', matches, from, to, 1).slice(0, 744);
  return rpc(
    rows.map((event) => {
      const rate8h = (event.rate * 8) / event.intervalHours;
      return { timestamp: event.time, index_price: 0, prev_index_price: 0, interest_8h: rate8h, interest_1h: rate8h / 8 };
    }),
    universe,
  );
}

function orderBook(query: URLSearchParams, universe: ReplayUniverse): ReplayResponse {
  const instrument = venueInstruments(universe, 'deribit').find(matcher(query));
  if (!instrument) return notFound(universe);
  const book = syntheticBook(instrument, Number(query.get('depth') ?? 20));
  const inverse = instrument.margin === 'inverse' && instrument.kind !== 'spot';
  const amount = (price: number, usd: number): number => (inverse ? usd : Number((usd / price).toFixed(4)));
  const side = (levels: [number, number][]): number[][] => levels.map(([price, usd]) => [price, amount(price, usd)]);
  return rpc(
    {
      timestamp: universe.asOf,
      state: 'open',
      instrument_name: query.get('instrument_name'),
      change_id: universe.asOf,
      bids: side(book.bids),
      asks: side(book.asks),
      best_bid_price: instrument.bid,
      best_ask_price: instrument.ask,
      mark_price: instrument.mark,
      index_price: instrument.index,
    },
    universe,
  );
}

/** Answers deribit's history and book methods (the path after /api/v2/public/); undefined otherwise. */
export function deribitHistory(method: string, query: URLSearchParams, universe: ReplayUniverse): ReplayResponse | undefined {
  switch (method) {
    case 'get_tradingview_chart_data':
      return chartData(query, universe);
    case 'get_funding_rate_history':
      return fundingHistory(query, universe);
    case 'get_order_book':
      return orderBook(query, universe);
  }
  return undefined;
}
