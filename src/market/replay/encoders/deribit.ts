import type { ReplayInstrument, ReplayRequest, ReplayResponse, ReplayUniverse, VenueEncoder } from '../universe.js';
import { deribitHistory } from './history-deribit.js';
import { lastFridayOfMonth } from '../calendar.js';
import { dmmmyy, fail, lotStep, ok, venueInstruments } from './common.js';

/**
 * deribit's public JSON-RPC over HTTP as ccxt reads it: get_currencies and
 * get_instruments (loadMarkets), get_book_summary_by_currency (quotes, one request per
 * currency and kind), plus ticker and get_time. Numbers are JSON numbers; errors are
 * HTTP 400 with a JSON-RPC `error` object.
 */

/**
 * The currencies deribit lists instruments under (its `currency` parameter). Assets
 * outside this set trade only against USDC, so their spot pairs and linear perps are
 * found under USDC.
 */
const LISTING_CURRENCIES = ['BTC', 'ETH', 'USDC', 'USDT', 'EURR'];
const CURRENCY_NAMES: Record<string, string> = { BTC: 'Bitcoin', ETH: 'Ethereum', USDC: 'USD Coin', USDT: 'Tether', EURR: 'StablR Euro' };
/** deribit gives perpetuals and spot pairs an expiry of 3000-01-01. */
const NEVER_EXPIRES = 32_503_708_800_000;
const DAY_MS = 86_400_000;
const API_PREFIX = '/api/v2/public/';

/** deribit's own ids: BTC_USDC, BTC-PERPETUAL, BTC-5DEC25, SOL_USDC-PERPETUAL. */
export function deribitInstrumentName(instrument: ReplayInstrument): string {
  const { asset, quote, kind, expiry } = instrument;
  if (kind === 'spot') return `${asset}_${quote}`;
  const stem = instrument.margin === 'inverse' ? asset : `${asset}_${quote}`;
  return kind === 'perp' ? `${stem}-PERPETUAL` : `${stem}-${dmmmyy(expiry ?? 0)}`;
}

/** Which `currency` an instrument is listed under: inverse by its coin, linear by its settlement currency. */
function listingCurrency(instrument: ReplayInstrument): string {
  if (instrument.kind === 'spot') return LISTING_CURRENCIES.includes(instrument.asset) ? instrument.asset : instrument.quote;
  return instrument.margin === 'inverse' ? instrument.asset : instrument.quote;
}

function settlementPeriod(instrument: ReplayInstrument): string {
  if (instrument.kind === 'perp') return 'perpetual';
  const expiry = new Date(instrument.expiry ?? 0);
  const monthEnd = lastFridayOfMonth(expiry.getUTCFullYear(), expiry.getUTCMonth());
  return instrument.expiry === monthEnd ? 'month' : 'week';
}

function instrumentRow(instrument: ReplayInstrument): Record<string, unknown> {
  const inverse = instrument.margin === 'inverse' && instrument.kind !== 'spot';
  const quoteCurrency = inverse ? 'USD' : instrument.quote;
  const common = {
    tick_size: instrument.tickSize,
    tick_size_steps: [],
    taker_commission: instrument.kind === 'spot' ? 0 : 0.0005,
    maker_commission: 0,
    rfq: false,
    quote_currency: quoteCurrency,
    counter_currency: quoteCurrency,
    price_index: `${instrument.asset.toLowerCase()}_${inverse ? 'usd' : instrument.quote.toLowerCase()}`,
    min_trade_amount: inverse ? instrument.contractSize : lotStep(instrument.mark),
    kind: instrument.kind === 'spot' ? 'spot' : 'future',
    is_active: true,
    instrument_name: deribitInstrumentName(instrument),
    expiration_timestamp: instrument.expiry ?? NEVER_EXPIRES,
    creation_timestamp: Math.min(instrument.expiry ?? Infinity, instrument.timestamp) - 60 * DAY_MS,
    contract_size: instrument.contractSize,
    block_trade_tick_size: 0.01,
    block_trade_min_trade_amount: inverse ? 200_000 : 25,
    block_trade_commission: 0.00025,
    base_currency: instrument.asset,
  };
  if (instrument.kind === 'spot') return common;
  const futureType = inverse ? 'reversed' : 'linear';
  return {
    ...common,
    settlement_period: settlementPeriod(instrument),
    settlement_currency: inverse ? instrument.asset : instrument.quote,
    max_liquidation_commission: 0.0075,
    max_leverage: 50,
    future_type: futureType,
    instrument_type: futureType,
  };
}

function round(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}

/** One row of get_book_summary_by_currency; perpetuals add funding (as an 8h rate, deribit's only unit). */
function bookSummaryRow(instrument: ReplayInstrument): Record<string, unknown> {
  const inverse = instrument.margin === 'inverse' && instrument.kind !== 'spot';
  const baseVolume = instrument.volume24hQuote / instrument.last;
  const row: Record<string, unknown> = {
    volume_usd: round(instrument.volume24hQuote, 2),
    volume: round(baseVolume, 8),
    quote_currency: inverse ? 'USD' : instrument.quote,
    price_change: 0,
    ...(instrument.kind === 'spot' ? {} : { open_interest: round(inverse ? instrument.volume24hQuote / 4 : baseVolume / 4, 4) }),
    mid_price: round((instrument.bid + instrument.ask) / 2, 8),
    mark_price: instrument.mark,
    low: Math.min(instrument.bid, instrument.last),
    last: instrument.last,
    instrument_name: deribitInstrumentName(instrument),
    high: Math.max(instrument.ask, instrument.last),
    estimated_delivery_price: instrument.index,
    creation_timestamp: instrument.timestamp,
    bid_price: instrument.bid,
    base_currency: instrument.asset,
    ask_price: instrument.ask,
    volume_notional: round(instrument.volume24hQuote, 2),
  };
  if (instrument.kind === 'perp') {
    const rate = instrument.fundingRate ?? 0;
    const funding8h = round((rate * 8) / (instrument.fundingIntervalHours ?? 8), 10);
    row['funding_8h'] = funding8h;
    row['current_funding'] = round(funding8h / 8, 10);
    row['interest_rate'] = 0;
  }
  return row;
}

/** public/ticker: one instrument's book top and stats. */
function tickerResult(instrument: ReplayInstrument): Record<string, unknown> {
  const summary = bookSummaryRow(instrument);
  return {
    timestamp: instrument.timestamp,
    stats: { volume_usd: summary['volume_usd'], volume: summary['volume'], price_change: 0, low: summary['low'], high: summary['high'] },
    state: 'open',
    settlement_price: instrument.mark,
    ...(instrument.kind === 'spot' ? {} : { open_interest: summary['open_interest'] }),
    min_price: round(instrument.mark * 0.97, 8),
    max_price: round(instrument.mark * 1.03, 8),
    mark_price: instrument.mark,
    last_price: instrument.last,
    instrument_name: summary['instrument_name'],
    index_price: instrument.index,
    estimated_delivery_price: instrument.index,
    ...(instrument.kind === 'perp' ? { funding_8h: summary['funding_8h'], current_funding: summary['current_funding'] } : {}),
    best_bid_price: instrument.bid,
    best_bid_amount: instrument.contractSize * 100,
    best_ask_price: instrument.ask,
    best_ask_amount: instrument.contractSize * 100,
  };
}

function envelope(payload: Record<string, unknown>, universe: ReplayUniverse): Record<string, unknown> {
  // Microsecond stamps of the request's arrival and departure, as deribit adds to every answer.
  const usIn = universe.asOf * 1000;
  return { jsonrpc: '2.0', ...payload, usIn, usOut: usIn + 137, usDiff: 137, testnet: false };
}

function result(value: unknown, universe: ReplayUniverse): ReplayResponse {
  return ok(envelope({ result: value }, universe));
}

function rpcError(universe: ReplayUniverse, code: number, message: string, data?: Record<string, string>): ReplayResponse {
  return fail(400, envelope({ error: { message, ...(data ? { data } : {}), code } }, universe));
}

function invalidParam(universe: ReplayUniverse, param: string, reason: string): ReplayResponse {
  return rpcError(universe, -32602, 'Invalid params', { reason, param });
}

function currencies(universe: ReplayUniverse): string[] {
  const listed = new Set(LISTING_CURRENCIES);
  for (const instrument of venueInstruments(universe, 'deribit')) listed.add(listingCurrency(instrument));
  return [...listed];
}

function currencyRow(currency: string): Record<string, unknown> {
  const stable = ['USDC', 'USDT', 'EURR'].includes(currency);
  return {
    withdrawal_priorities: [],
    withdrawal_fee: stable ? 1 : 0.0001,
    min_withdrawal_fee: stable ? 1 : 0.0001,
    min_confirmations: stable ? 12 : 1,
    fee_precision: 4,
    currency_long: CURRENCY_NAMES[currency] ?? currency,
    currency,
    coin_type: stable ? 'ERC20' : currency === 'BTC' ? 'BITCOIN' : currency === 'ETH' ? 'ETHER' : currency,
    in_cross_collateral_pool: true,
  };
}

/**
 * Instruments matching `currency` (required unless `optional`; "any" for all) and `kind`.
 * Answers the parameter error deribit gives for a currency it does not list.
 */
function select(query: URLSearchParams, universe: ReplayUniverse, optional: boolean): ReplayInstrument[] | ReplayResponse {
  const currency = query.get('currency');
  if (currency === null && !optional) return invalidParam(universe, 'currency', 'must be present');
  if (currency !== null && currency !== 'any' && !currencies(universe).includes(currency)) {
    return invalidParam(universe, 'currency', 'wrong format');
  }
  const kind = query.get('kind');
  if (query.get('expired') === 'true') return [];
  return venueInstruments(universe, 'deribit').filter(
    (instrument) =>
      (currency === null || currency === 'any' || listingCurrency(instrument) === currency) &&
      (kind === null || kind === (instrument.kind === 'spot' ? 'spot' : 'future')),
  );
}

function byName(query: URLSearchParams, universe: ReplayUniverse): ReplayInstrument | ReplayResponse {
  const name = query.get('instrument_name');
  if (name === null) return invalidParam(universe, 'instrument_name', 'must be present');
  const instrument = venueInstruments(universe, 'deribit').find((candidate) => deribitInstrumentName(candidate) === name);
  return instrument ?? invalidParam(universe, 'instrument_name', 'instrument not found');
}

function isResponse(value: unknown): value is ReplayResponse {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'status' in value;
}

function route(method: string, query: URLSearchParams, universe: ReplayUniverse): ReplayResponse {
  switch (method) {
    case 'get_time':
      return result(universe.asOf, universe);
    case 'get_currencies':
      return result(currencies(universe).map(currencyRow), universe);
    case 'get_instruments': {
      // ccxt asks without a currency (fetchAllMarkets); deribit then lists every currency.
      const selected = select(query, universe, true);
      return isResponse(selected) ? selected : result(selected.map(instrumentRow), universe);
    }
    case 'get_book_summary_by_currency': {
      const selected = select(query, universe, false);
      return isResponse(selected) ? selected : result(selected.map(bookSummaryRow), universe);
    }
    case 'get_book_summary_by_instrument': {
      const instrument = byName(query, universe);
      return isResponse(instrument) ? instrument : result([bookSummaryRow(instrument)], universe);
    }
    case 'ticker': {
      const instrument = byName(query, universe);
      return isResponse(instrument) ? instrument : result(tickerResult(instrument), universe);
    }
    default:
      return rpcError(universe, -32601, 'Method not found');
  }
}

export const deribitEncoder: VenueEncoder = {
  venue: 'deribit',
  hosts: ['www.deribit.com'],
  handle(request: ReplayRequest, universe: ReplayUniverse): ReplayResponse {
    if (!request.path.startsWith(API_PREFIX)) return rpcError(universe, -32601, 'Method not found');
    const method = request.path.slice(API_PREFIX.length);
    return deribitHistory(method, request.query, universe) ?? route(method, request.query, universe);
  },
};
