import type { ReplayInstrument, ReplayRequest, ReplayResponse, ReplayUniverse, VenueEncoder } from '../universe.js';
import { binanceHistory } from './history-binance.js';
import { atLeastDecimals, baseVolume, decimalsOf, expiryRank, fail, fixed, lotStep, ok, venueInstruments, yymmdd } from './common.js';

/**
 * binance's three public APIs as ccxt reads them: spot (api/v3), USDⓈ-M (fapi/v1,
 * linear perps and quarterlies) and COIN-M (dapi/v1, inverse). Each has its own
 * exchangeInfo (loadMarkets), bookTicker (bid/ask), 24hr ticker, and for the
 * derivatives premiumIndex (mark, index, funding) and fundingInfo (intervals that
 * differ from 8h). Numbers are strings; errors are `{code, msg}` with an HTTP 4xx.
 */

type Family = 'spot' | 'linear' | 'inverse';

const API: Record<string, { family: Family; prefix: string }> = {
  'api.binance.com': { family: 'spot', prefix: '/api/v3' },
  'fapi.binance.com': { family: 'linear', prefix: '/fapi/v1' },
  'dapi.binance.com': { family: 'inverse', prefix: '/dapi/v1' },
};

/** binance's perpetuals carry this delivery date (2100-12-25); ccxt reads it as "no expiry". */
const PERPETUAL_DELIVERY = 4133404800000;
/** A fixed listing date for perps; quarterlies list two quarters before their expiry. */
const PERP_ONBOARD = 1569398400000;
const DAY_MS = 86_400_000;
const CONTRACT_TYPES = ['CURRENT_QUARTER', 'NEXT_QUARTER'];

function familyOf(instrument: ReplayInstrument): Family {
  return instrument.kind === 'spot' ? 'spot' : instrument.margin;
}

/** binance ids: BTCUSDT (spot and USDⓈ-M perp), BTCUSDT_261225, BTCUSD_PERP, BTCUSD_261225. */
export function binanceId(instrument: ReplayInstrument): string {
  const { asset, quote, kind, expiry } = instrument;
  if (kind === 'spot') return `${asset}${quote}`;
  const suffix = kind === 'perp' ? 'PERP' : yymmdd(expiry!);
  if (instrument.margin === 'linear') return kind === 'perp' ? `${asset}${quote}` : `${asset}${quote}_${suffix}`;
  return `${asset}USD_${suffix}`;
}

const price = (value: number, instrument: ReplayInstrument): string =>
  familyOf(instrument) === 'spot' ? fixed(value, 8) : atLeastDecimals(value, decimalsOf(instrument.tickSize));

/** Order sizes: coins on spot and USDⓈ-M, whole contracts on COIN-M. */
function quantityStep(instrument: ReplayInstrument): number {
  return familyOf(instrument) === 'inverse' ? 1 : lotStep(instrument.mark);
}

/** A resting size at the top of the book, a deterministic slice of the day's volume. */
function topSize(instrument: ReplayInstrument, side: 'bid' | 'ask'): string {
  const step = quantityStep(instrument);
  const daily = familyOf(instrument) === 'inverse' ? instrument.volume24hQuote / instrument.contractSize : baseVolume(instrument);
  const steps = Math.max(1, Math.round(daily / (side === 'bid' ? 40_000 : 55_000) / step));
  return fixed(steps * step, decimalsOf(step));
}

function priceFilter(instrument: ReplayInstrument): Record<string, string> {
  const decimals = familyOf(instrument) === 'spot' ? 8 : decimalsOf(instrument.tickSize);
  return {
    filterType: 'PRICE_FILTER',
    minPrice: fixed(instrument.tickSize, decimals),
    maxPrice: fixed(instrument.mark * 20, decimals),
    tickSize: fixed(instrument.tickSize, decimals),
  };
}

function lotFilter(type: 'LOT_SIZE' | 'MARKET_LOT_SIZE', instrument: ReplayInstrument): Record<string, string> {
  const step = quantityStep(instrument);
  const decimals = familyOf(instrument) === 'spot' ? 8 : decimalsOf(step);
  return { filterType: type, minQty: fixed(step, decimals), maxQty: fixed(step * 1e6, decimals), stepSize: fixed(step, decimals) };
}

function spotSymbol(instrument: ReplayInstrument): Record<string, unknown> {
  return {
    symbol: binanceId(instrument),
    status: 'TRADING',
    baseAsset: instrument.asset,
    baseAssetPrecision: 8,
    quoteAsset: instrument.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: true,
    ocoAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: true,
    filters: [
      priceFilter(instrument),
      lotFilter('LOT_SIZE', instrument),
      { filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000', avgPriceMins: 5 },
    ],
    permissions: [],
    permissionSets: [['SPOT', 'MARGIN']],
  };
}

function derivativeSymbol(instrument: ReplayInstrument, universe: ReplayUniverse): Record<string, unknown> {
  const perp = instrument.kind === 'perp';
  const inverse = instrument.margin === 'inverse';
  const deliveryDate = perp ? PERPETUAL_DELIVERY : instrument.expiry!;
  return {
    symbol: binanceId(instrument),
    pair: `${instrument.asset}${inverse ? 'USD' : instrument.quote}`,
    contractType: perp ? 'PERPETUAL' : CONTRACT_TYPES[expiryRank(universe, instrument)] ?? 'NEXT_QUARTER',
    deliveryDate,
    onboardDate: perp ? PERP_ONBOARD : instrument.expiry! - 182 * DAY_MS,
    // fapi names it status, dapi contractStatus.
    [inverse ? 'contractStatus' : 'status']: 'TRADING',
    ...(inverse ? { contractSize: instrument.contractSize } : {}),
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: instrument.asset,
    quoteAsset: inverse ? 'USD' : instrument.quote,
    marginAsset: inverse ? instrument.asset : instrument.quote,
    pricePrecision: decimalsOf(instrument.tickSize),
    quantityPrecision: decimalsOf(quantityStep(instrument)),
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: [],
    triggerProtect: '0.0500',
    filters: [
      priceFilter(instrument),
      lotFilter('LOT_SIZE', instrument),
      lotFilter('MARKET_LOT_SIZE', instrument),
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
    ],
    orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
  };
}

function exchangeInfo(family: Family, instruments: ReplayInstrument[], universe: ReplayUniverse): Record<string, unknown> {
  const rateLimits = [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: family === 'spot' ? 6000 : 2400 }];
  const symbols = instruments.map((i) => (family === 'spot' ? spotSymbol(i) : derivativeSymbol(i, universe)));
  return { timezone: 'UTC', serverTime: universe.asOf, rateLimits, exchangeFilters: [], symbols };
}

function bookTicker(instrument: ReplayInstrument): Record<string, unknown> {
  const row: Record<string, unknown> = {
    symbol: binanceId(instrument),
    ...(familyOf(instrument) === 'inverse' ? { pair: `${instrument.asset}USD` } : {}),
    bidPrice: price(instrument.bid, instrument),
    bidQty: topSize(instrument, 'bid'),
    askPrice: price(instrument.ask, instrument),
    askQty: topSize(instrument, 'ask'),
  };
  // Spot's book ticker carries no time; ccxt tells spot from futures rows by that.
  if (familyOf(instrument) !== 'spot') Object.assign(row, { time: instrument.timestamp, lastUpdateId: instrument.timestamp * 10 });
  return row;
}

function premiumIndex(instrument: ReplayInstrument): Record<string, unknown> {
  const perp = instrument.kind === 'perp';
  return {
    symbol: binanceId(instrument),
    ...(instrument.margin === 'inverse' ? { pair: `${instrument.asset}USD` } : {}),
    markPrice: fixed(instrument.mark, 8),
    indexPrice: fixed(instrument.index, 8),
    estimatedSettlePrice: fixed(instrument.index, 8),
    // Dated futures are listed too, with empty rates and a zero funding time.
    lastFundingRate: perp ? fixed(instrument.fundingRate!, 8) : '',
    interestRate: perp ? '0.00010000' : '',
    nextFundingTime: perp ? instrument.nextFundingTime! : 0,
    time: instrument.timestamp,
  };
}

function ticker24hr(instrument: ReplayInstrument): Record<string, unknown> {
  const family = familyOf(instrument);
  const volume = baseVolume(instrument);
  const row: Record<string, unknown> = {
    symbol: binanceId(instrument),
    priceChange: price(0, instrument),
    priceChangePercent: '0.000',
    weightedAvgPrice: price(instrument.last, instrument),
    lastPrice: price(instrument.last, instrument),
    lastQty: topSize(instrument, 'bid'),
    openPrice: price(instrument.last, instrument),
    highPrice: price(instrument.ask, instrument),
    lowPrice: price(instrument.bid, instrument),
    openTime: instrument.timestamp - DAY_MS,
    closeTime: instrument.timestamp,
    count: Math.round(volume),
  };
  if (family === 'spot') {
    Object.assign(row, { bidPrice: price(instrument.bid, instrument), askPrice: price(instrument.ask, instrument) });
  }
  if (family === 'inverse') {
    // COIN-M counts volume in contracts and reports the coin amount as baseVolume.
    Object.assign(row, {
      pair: `${instrument.asset}USD`,
      volume: String(Math.round(instrument.volume24hQuote / instrument.contractSize)),
      baseVolume: fixed(volume, 8),
    });
  } else {
    Object.assign(row, { volume: fixed(volume, 8), quoteVolume: fixed(instrument.volume24hQuote, 8) });
  }
  return row;
}

/** Funding caps and intervals of the perps whose interval is not binance's default 8h. */
function fundingInfo(instruments: ReplayInstrument[]): Record<string, unknown>[] {
  return instruments
    .filter((i) => i.kind === 'perp' && i.fundingIntervalHours !== 8)
    .map((i) => ({
      symbol: binanceId(i),
      adjustedFundingRateCap: '0.02000000',
      adjustedFundingRateFloor: '-0.02000000',
      fundingIntervalHours: i.fundingIntervalHours,
      disclaimer: false,
    }));
}

const INVALID_SYMBOL = fail(400, { code: -1121, msg: 'Invalid symbol.' });

/**
 * Narrows rows to the `symbol` (or spot `symbols`, COIN-M `pair`) asked for, as binance
 * does: one symbol answers a bare object on spot and USDⓈ-M, still an array on COIN-M.
 */
function answer(
  family: Family,
  instruments: ReplayInstrument[],
  query: URLSearchParams,
  render: (instrument: ReplayInstrument) => unknown,
): ReplayResponse {
  const symbol = query.get('symbol');
  const symbols = query.get('symbols');
  const pair = query.get('pair');
  if (symbol !== null) {
    const match = instruments.find((i) => binanceId(i) === symbol);
    if (!match) return INVALID_SYMBOL;
    return ok(family === 'inverse' ? [render(match)] : render(match));
  }
  if (symbols !== null && family === 'spot') {
    let wanted: unknown;
    try {
      wanted = JSON.parse(symbols);
    } catch {
      return fail(400, { code: -1100, msg: "Illegal characters found in parameter 'symbols'." });
    }
    if (!Array.isArray(wanted)) return fail(400, { code: -1100, msg: "Illegal characters found in parameter 'symbols'." });
    const matches = wanted.map((id) => instruments.find((i) => binanceId(i) === id));
    if (matches.some((match) => !match)) return INVALID_SYMBOL;
    return ok(matches.map((match) => render(match!)));
  }
  if (pair !== null && family === 'inverse') {
    const matches = instruments.filter((i) => `${i.asset}USD` === pair);
    return matches.length ? ok(matches.map(render)) : fail(400, { code: -1121, msg: 'Invalid pair.' });
  }
  return ok(instruments.map(render));
}

function handle(request: ReplayRequest, universe: ReplayUniverse): ReplayResponse | undefined {
  const api = API[request.host];
  if (!api) return undefined;
  const history = binanceHistory(request, universe);
  if (history) return history;
  const { family, prefix } = api;
  const route = request.path.startsWith(prefix + '/') ? request.path.slice(prefix.length) : undefined;
  const instruments = venueInstruments(universe, 'binance').filter((i) => familyOf(i) === family);
  const derivatives = family !== 'spot';
  switch (route) {
    case '/ping':
      return ok({});
    case '/time':
      return ok({ serverTime: universe.asOf });
    case '/exchangeInfo':
      return ok(exchangeInfo(family, instruments, universe));
    case '/ticker/bookTicker':
      return answer(family, instruments, request.query, bookTicker);
    case '/ticker/24hr':
      return answer(family, instruments, request.query, ticker24hr);
    case '/premiumIndex':
      if (derivatives) return answer(family, instruments, request.query, premiumIndex);
      break;
    case '/fundingInfo':
      if (derivatives) return ok(fundingInfo(instruments));
      break;
  }
  return fail(404, { code: -5000, msg: `Path ${request.path}, Method GET is invalid` });
}

export const binanceEncoder: VenueEncoder = { venue: 'binance', hosts: Object.keys(API), handle };
