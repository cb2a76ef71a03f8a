import type { ReplayInstrument, ReplayRequest, ReplayResponse, ReplayUniverse, VenueEncoder } from '../universe.js';
import { bybitHistory } from './history-bybit.js';
import { atLeastDecimals, decimalsOf, dmmmyy, lotStep, monthCode, plain, venueInstruments } from './common.js';

/**
 * bybit v5 public market data as ccxt reads it: instruments-info (loadMarkets, with
 * bybit's limit/cursor pagination) and tickers (quotes). Every number is a string, as
 * bybit sends it; business errors are HTTP 200 with a non-zero retCode.
 */

type Category = 'spot' | 'linear' | 'inverse';
const CATEGORIES: readonly string[] = ['spot', 'linear', 'inverse', 'option'];
const DAY_MS = 86_400_000;
/** Linear/inverse instruments-info pages: bybit's default and maximum `limit`. */
const DEFAULT_PAGE = 500;
const MAX_PAGE = 1000;

function categoryOf(instrument: ReplayInstrument): Category {
  return instrument.kind === 'spot' ? 'spot' : instrument.margin;
}

/** bybit's own ids: BTCUSDT (spot and perp), BTCUSDT-26DEC25, BTCPERP/BTC-26DEC25 (USDC), BTCUSD, BTCUSDZ25. */
export function bybitSymbol(instrument: ReplayInstrument): string {
  const { asset, quote, kind, expiry } = instrument;
  if (kind === 'spot') return `${asset}${quote}`;
  if (instrument.margin === 'inverse') {
    return kind === 'perp' || expiry === undefined ? `${asset}USD` : `${asset}USD${monthCode(expiry)}`;
  }
  if (quote === 'USDC') return kind === 'perp' ? `${asset}PERP` : `${asset}-${dmmmyy(expiry ?? 0, true)}`;
  return kind === 'perp' ? `${asset}${quote}` : `${asset}${quote}-${dmmmyy(expiry ?? 0, true)}`;
}

function price(instrument: ReplayInstrument, value: number): string {
  return atLeastDecimals(value, decimalsOf(instrument.tickSize));
}

/** Order quantity step: coins for spot/linear, one contract (USD face value) for inverse. */
function quantityStep(instrument: ReplayInstrument): number {
  return instrument.margin === 'inverse' && instrument.kind !== 'spot' ? instrument.contractSize : lotStep(instrument.mark);
}

function quantity(instrument: ReplayInstrument, value: number): string {
  const step = quantityStep(instrument);
  return (Math.round(value / step) * step).toFixed(decimalsOf(step));
}

function envelope(result: unknown, universe: ReplayUniverse): ReplayResponse {
  return { status: 200, body: { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: universe.asOf } };
}

function failure(retCode: number, retMsg: string, universe: ReplayUniverse): ReplayResponse {
  return { status: 200, body: { retCode, retMsg, result: {}, retExtInfo: {}, time: universe.asOf } };
}

function spotInstrumentRow(instrument: ReplayInstrument): Record<string, unknown> {
  const step = quantityStep(instrument);
  return {
    symbol: bybitSymbol(instrument),
    baseCoin: instrument.asset,
    quoteCoin: instrument.quote,
    innovation: '0',
    status: 'Trading',
    marginTrading: 'utaOnly',
    stTag: '0',
    lotSizeFilter: {
      basePrecision: plain(step),
      quotePrecision: '0.00000001',
      minOrderQty: plain(step),
      maxOrderQty: quantity(instrument, 2_000_000 / instrument.mark),
      minOrderAmt: '1',
      maxOrderAmt: '2000000',
    },
    priceFilter: { tickSize: price(instrument, instrument.tickSize) },
    riskParameters: { priceLimitRatioX: '0.005', priceLimitRatioY: '0.01' },
  };
}

function contractInstrumentRow(instrument: ReplayInstrument, universe: ReplayUniverse): Record<string, unknown> {
  const linear = instrument.margin === 'linear';
  const perp = instrument.kind === 'perp';
  const prefix = linear ? 'Linear' : 'Inverse';
  const step = plain(quantityStep(instrument));
  const launchTime = Math.min(universe.asOf, instrument.expiry ?? universe.asOf) - 91 * DAY_MS;
  return {
    symbol: bybitSymbol(instrument),
    contractType: perp ? `${prefix}Perpetual` : `${prefix}Futures`,
    status: 'Trading',
    baseCoin: instrument.asset,
    quoteCoin: instrument.quote,
    launchTime: String(launchTime - (launchTime % DAY_MS)),
    deliveryTime: perp ? '0' : String(instrument.expiry ?? 0),
    deliveryFeeRate: perp ? '' : '0.0005',
    priceScale: String(decimalsOf(instrument.tickSize)),
    leverageFilter: { minLeverage: '1', maxLeverage: perp ? '100.00' : '50.00', leverageStep: '0.01' },
    priceFilter: {
      minPrice: price(instrument, instrument.tickSize),
      maxPrice: price(instrument, Math.round((instrument.mark * 20) / instrument.tickSize) * instrument.tickSize),
      tickSize: price(instrument, instrument.tickSize),
    },
    lotSizeFilter: {
      maxOrderQty: quantity(instrument, linear ? 5_000_000 / instrument.mark : 5_000_000),
      minOrderQty: step,
      qtyStep: step,
      postOnlyMaxOrderQty: quantity(instrument, linear ? 50_000_000 / instrument.mark : 50_000_000),
      maxMktOrderQty: quantity(instrument, linear ? 1_000_000 / instrument.mark : 1_000_000),
      ...(linear ? { minNotionalValue: '5' } : {}),
    },
    unifiedMarginTrade: true,
    // Minutes, as bybit sends it; ccxt reads the funding interval from here.
    fundingInterval: perp ? Math.round((instrument.fundingIntervalHours ?? 8) * 60) : 0,
    settleCoin: linear ? instrument.quote : instrument.asset,
    copyTrading: perp && linear ? 'both' : 'none',
    upperFundingRate: perp ? '0.005' : '',
    lowerFundingRate: perp ? '-0.005' : '',
    isPreListing: false,
    preListingInfo: null,
    riskParameters: { priceLimitRatioX: '0.01', priceLimitRatioY: '0.02' },
    displayName: '',
  };
}

/** 24h figures: bybit's `volume24h` is in base coin (contracts for inverse), `turnover24h` in quote (coin for inverse). */
function dailyStats(instrument: ReplayInstrument): Record<string, string> {
  const inverse = instrument.margin === 'inverse' && instrument.kind !== 'spot';
  const volume = inverse ? instrument.volume24hQuote / instrument.contractSize : instrument.volume24hQuote / instrument.last;
  const turnover = inverse ? instrument.volume24hQuote / instrument.last : instrument.volume24hQuote;
  return {
    prevPrice24h: price(instrument, instrument.last),
    price24hPcnt: '0',
    highPrice24h: price(instrument, Math.max(instrument.ask, instrument.last)),
    lowPrice24h: price(instrument, Math.min(instrument.bid, instrument.last)),
    turnover24h: plain(Number(turnover.toFixed(inverse ? 8 : 4))),
    volume24h: quantity(instrument, volume),
  };
}

function spotTickerRow(instrument: ReplayInstrument): Record<string, unknown> {
  const top = quantity(instrument, 25_000 / instrument.mark);
  return {
    symbol: bybitSymbol(instrument),
    bid1Price: price(instrument, instrument.bid),
    bid1Size: top,
    ask1Price: price(instrument, instrument.ask),
    ask1Size: top,
    lastPrice: price(instrument, instrument.last),
    ...dailyStats(instrument),
    usdIndexPrice: plain(instrument.index),
  };
}

function contractTickerRow(instrument: ReplayInstrument): Record<string, unknown> {
  const perp = instrument.kind === 'perp';
  const linear = instrument.margin === 'linear';
  const openInterest = linear ? instrument.volume24hQuote / instrument.mark / 4 : instrument.volume24hQuote / 4;
  const openInterestValue = linear ? openInterest * instrument.mark : openInterest / instrument.mark;
  const top = quantity(instrument, linear ? 25_000 / instrument.mark : 25_000);
  const basis = instrument.last - instrument.index;
  return {
    symbol: bybitSymbol(instrument),
    lastPrice: price(instrument, instrument.last),
    indexPrice: plain(instrument.index),
    markPrice: price(instrument, instrument.mark),
    ...dailyStats(instrument),
    prevPrice1h: price(instrument, instrument.last),
    openInterest: quantity(instrument, openInterest),
    openInterestValue: plain(Number(openInterestValue.toFixed(linear ? 2 : 8))),
    fundingRate: perp ? plain(instrument.fundingRate ?? 0) : '',
    nextFundingTime: perp ? String(instrument.nextFundingTime ?? 0) : '0',
    predictedDeliveryPrice: '',
    basisRate: perp ? '' : plain(Number((basis / instrument.index).toFixed(8))),
    deliveryFeeRate: perp ? '' : '0.0005',
    deliveryTime: perp ? '0' : String(instrument.expiry ?? 0),
    ask1Size: top,
    bid1Price: price(instrument, instrument.bid),
    ask1Price: price(instrument, instrument.ask),
    bid1Size: top,
    basis: perp ? '' : plain(Number(basis.toFixed(decimalsOf(instrument.tickSize) + 2))),
    preOpenPrice: '',
    preQty: '',
    curPreListingPhase: '',
    fundingIntervalHour: perp ? String(instrument.fundingIntervalHours ?? 8) : '',
    fundingCap: perp ? '0.005' : '',
  };
}

function inCategory(universe: ReplayUniverse, category: string): ReplayInstrument[] {
  return venueInstruments(universe, 'bybit').filter((instrument) => categoryOf(instrument) === category);
}

/** Cursors are opaque to clients; ours carries the offset of the next page. */
function pageOf<T>(rows: T[], query: URLSearchParams): { rows: T[]; nextPageCursor: string } {
  const limit = Math.min(Math.max(Number(query.get('limit') ?? DEFAULT_PAGE) || DEFAULT_PAGE, 1), MAX_PAGE);
  const offset = Number(/^page-(\d+)$/.exec(query.get('cursor') ?? '')?.[1] ?? 0);
  const next = offset + limit;
  return { rows: rows.slice(offset, next), nextPageCursor: next < rows.length ? `page-${next}` : '' };
}

function instrumentsInfo(query: URLSearchParams, universe: ReplayUniverse): ReplayResponse {
  const category = query.get('category') ?? '';
  if (!CATEGORIES.includes(category)) return failure(10001, 'Illegal category', universe);
  const symbol = query.get('symbol');
  const baseCoin = query.get('baseCoin');
  // Every replayed instrument is Trading: a PreLaunch (or any other status) listing is empty.
  const status = query.get('status') ?? 'Trading';
  const matching = inCategory(universe, category).filter(
    (instrument) =>
      status === 'Trading' &&
      (!symbol || bybitSymbol(instrument) === symbol) &&
      (!baseCoin || instrument.asset === baseCoin),
  );
  if (category === 'spot') return envelope({ category, list: matching.map(spotInstrumentRow) }, universe);
  const page = pageOf(matching, query);
  const list = page.rows.map((instrument) => contractInstrumentRow(instrument, universe));
  return envelope({ category, list, nextPageCursor: page.nextPageCursor }, universe);
}

function tickers(query: URLSearchParams, universe: ReplayUniverse): ReplayResponse {
  const category = query.get('category') ?? '';
  if (!CATEGORIES.includes(category)) return failure(10001, 'Illegal category', universe);
  const symbol = query.get('symbol');
  const matching = inCategory(universe, category).filter((instrument) => !symbol || bybitSymbol(instrument) === symbol);
  if (symbol && matching.length === 0) return failure(10001, 'Not supported symbols', universe);
  const list = matching.map((instrument) => (category === 'spot' ? spotTickerRow(instrument) : contractTickerRow(instrument)));
  // `time` stamps the answer: the newest quote in it, so a stale fault's aged quotes show as old.
  const newest = matching.reduce((latest, instrument) => Math.max(latest, instrument.timestamp), -Infinity);
  const answer = envelope({ category, list }, universe);
  return Number.isFinite(newest) ? { ...answer, body: { ...(answer.body as object), time: newest } } : answer;
}

function serverTime(universe: ReplayUniverse): ReplayResponse {
  const seconds = Math.floor(universe.asOf / 1000);
  return envelope({ timeSecond: String(seconds), timeNano: `${universe.asOf}000000` }, universe);
}

export const bybitEncoder: VenueEncoder = {
  venue: 'bybit',
  hosts: ['api.bybit.com'],
  handle(request: ReplayRequest, universe: ReplayUniverse): ReplayResponse {
    const history = bybitHistory(request, universe);
    if (history) return history;
    switch (request.path) {
      case '/v5/market/instruments-info':
        return instrumentsInfo(request.query, universe);
      case '/v5/market/tickers':
        return tickers(request.query, universe);
      case '/v5/market/time':
        return serverTime(universe);
      default:
        // bybit's gateway answers unknown paths with a bare 404, not its JSON envelope.
        return { status: 404, body: '404 page not found', headers: { 'content-type': 'text/plain' } };
    }
  },
};
