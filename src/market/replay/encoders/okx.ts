import type { ReplayInstrument, ReplayRequest, ReplayResponse, ReplayUniverse, VenueEncoder } from '../universe.js';
import { okxHistory } from './history-okx.js';
import { baseVolume, expiryRank, fail, lotStep, ok, plain, venueInstruments, yymmdd } from './common.js';

/**
 * okx v5 public market data as ccxt reads it: instruments per instType (loadMarkets),
 * tickers per instType (bid/ask/last, no mark), one ticker by instId, funding rates
 * (instId=ANY for every swap), mark prices and server time. Every answer is HTTP 200
 * in the `{code, msg, data}` envelope; code "0" is success, anything else an error
 * that ccxt maps by code (51001 unknown instrument -> BadSymbol).
 */

type InstType = 'SPOT' | 'SWAP' | 'FUTURES';
const INST_TYPES: readonly string[] = ['SPOT', 'SWAP', 'FUTURES', 'MARGIN', 'OPTION'];
/** okx names its dated contracts by position on the curve. */
const ALIASES = ['this_week', 'next_week', 'quarter', 'next_quarter'];
const SPOT_LISTED = 1548133413000;
const SWAP_LISTED = 1573557408000;
const DAY_MS = 86_400_000;

function instTypeOf(instrument: ReplayInstrument): InstType {
  return instrument.kind === 'spot' ? 'SPOT' : instrument.kind === 'perp' ? 'SWAP' : 'FUTURES';
}

/** The underlying (uly / instFamily) of a derivative: BTC-USDT for linear, BTC-USD for inverse. */
function underlyingOf(instrument: ReplayInstrument): string {
  return `${instrument.asset}-${instrument.margin === 'inverse' ? 'USD' : instrument.quote}`;
}

/** okx ids: BTC-USDT, BTC-USDT-SWAP, BTC-USD-SWAP, BTC-USD-261225, BTC-USDT-261225. */
export function okxId(instrument: ReplayInstrument): string {
  if (instrument.kind === 'spot') return `${instrument.asset}-${instrument.quote}`;
  return `${underlyingOf(instrument)}-${instrument.kind === 'perp' ? 'SWAP' : yymmdd(instrument.expiry!)}`;
}

const envelope = (data: unknown[]): ReplayResponse => ok({ code: '0', msg: '', data });
const okxError = (code: string, msg: string): ReplayResponse => ok({ code, msg, data: [] });
/** A size in lots, without binary noise (0.00001 x 37). */
const lots = (instrument: ReplayInstrument, count: number): string => plain(Number((lotSize(instrument) * count).toFixed(10)));
const unknownInstrument = (): ReplayResponse => okxError('51001', "Instrument ID, Instrument ID code, or Spread ID doesn't exist.");

/** Order size step: coins on spot, contracts (1, or 0.01 of a coin-sized linear contract) on derivatives. */
function lotSize(instrument: ReplayInstrument): number {
  if (instrument.kind === 'spot') return Number((lotStep(instrument.mark) / 100).toFixed(10));
  return instrument.margin === 'inverse' ? 1 : 0.01;
}

function instrumentRow(instrument: ReplayInstrument, universe: ReplayUniverse): Record<string, string | boolean> {
  const spot = instrument.kind === 'spot';
  const inverse = instrument.margin === 'inverse';
  const lot = lotSize(instrument);
  const row = {
    alias: instrument.kind === 'future' ? ALIASES[expiryRank(universe, instrument)] ?? '' : '',
    auctionEndTime: '',
    baseCcy: spot ? instrument.asset : '',
    category: '1',
    ctMult: spot ? '' : '1',
    ctType: spot ? '' : instrument.margin,
    ctVal: spot ? '' : plain(instrument.contractSize),
    ctValCcy: spot ? '' : inverse ? 'USD' : instrument.asset,
    expTime: instrument.expiry === undefined ? '' : String(instrument.expiry),
    futureSettlement: false,
    instFamily: spot ? '' : underlyingOf(instrument),
    instId: okxId(instrument),
    instType: instTypeOf(instrument),
    lever: spot ? '10' : instrument.kind === 'perp' ? '100' : '50',
    listTime: String(spot ? SPOT_LISTED : instrument.kind === 'perp' ? SWAP_LISTED : instrument.expiry! - 182 * DAY_MS),
    lotSz: plain(lot),
    maxLmtSz: lots(instrument, 1e7),
    maxMktSz: lots(instrument, 1e6),
    minSz: plain(lot),
    optType: '',
    quoteCcy: spot ? instrument.quote : '',
    ruleType: 'normal',
    settleCcy: spot ? '' : inverse ? instrument.asset : instrument.quote,
    state: 'live',
    stk: '',
    tickSz: plain(instrument.tickSize),
    uly: spot ? '' : underlyingOf(instrument),
  };
  return row;
}

function tickerRow(instrument: ReplayInstrument): Record<string, string> {
  const base = baseVolume(instrument);
  const spot = instrument.kind === 'spot';
  const contracts = instrument.margin === 'inverse' ? instrument.volume24hQuote / instrument.contractSize : base / instrument.contractSize;
  const last = plain(instrument.last);
  return {
    instType: instTypeOf(instrument),
    instId: okxId(instrument),
    last,
    lastSz: lots(instrument, 1),
    askPx: plain(instrument.ask),
    askSz: lots(instrument, 37),
    bidPx: plain(instrument.bid),
    bidSz: lots(instrument, 52),
    open24h: last,
    high24h: plain(instrument.ask),
    low24h: plain(instrument.bid),
    // Spot: vol24h in coins, volCcy24h in quote. Derivatives: vol24h in contracts, volCcy24h in coins.
    volCcy24h: plain(Number((spot ? instrument.volume24hQuote : base).toFixed(4))),
    vol24h: plain(Number((spot ? base : contracts).toFixed(spot ? 6 : 0))),
    ts: String(instrument.timestamp),
    sodUtc0: last,
    sodUtc8: last,
  };
}

/** Funding as okx publishes it: fundingTime is the coming settlement, nextFundingTime the one after. */
function fundingRow(instrument: ReplayInstrument): Record<string, string> {
  const intervalMs = instrument.fundingIntervalHours! * 3_600_000;
  const rate = plain(instrument.fundingRate!);
  return {
    formulaType: 'withRate',
    fundingRate: rate,
    fundingTime: String(instrument.nextFundingTime!),
    impactValue: '',
    instId: okxId(instrument),
    instType: 'SWAP',
    interestRate: '0.0001',
    maxFundingRate: '0.00375',
    method: 'current_period',
    minFundingRate: '-0.00375',
    nextFundingRate: '',
    nextFundingTime: String(instrument.nextFundingTime! + intervalMs),
    premium: plain(Number(((instrument.mark - instrument.index) / instrument.index).toFixed(8))),
    settFundingRate: rate,
    settState: 'settled',
    ts: String(instrument.timestamp),
  };
}

function markPriceRow(instrument: ReplayInstrument): Record<string, string> {
  return { instType: instTypeOf(instrument), instId: okxId(instrument), markPx: plain(instrument.mark), ts: String(instrument.timestamp) };
}

/** Instruments of one instType, narrowed by uly/instFamily and instId as okx allows; an error response otherwise. */
function select(instruments: ReplayInstrument[], query: URLSearchParams, derivativesOnly = false): ReplayInstrument[] | ReplayResponse {
  const instType = query.get('instType');
  if (!instType) return okxError('50014', 'Parameter instType can not be empty.');
  if (!INST_TYPES.includes(instType) || (derivativesOnly && instType === 'SPOT')) return okxError('51000', 'Parameter instType error');
  const family = query.get('instFamily') ?? query.get('uly');
  const instId = query.get('instId');
  const matches = instruments.filter(
    (i) => instTypeOf(i) === instType && (!family || (i.kind !== 'spot' && underlyingOf(i) === family)) && (!instId || okxId(i) === instId),
  );
  return instId && matches.length === 0 ? unknownInstrument() : matches;
}

function fundingRates(instruments: ReplayInstrument[], query: URLSearchParams): ReplayResponse {
  const instId = query.get('instId');
  if (!instId) return okxError('50014', 'Parameter instId can not be empty.');
  const swaps = instruments.filter((i) => i.kind === 'perp');
  if (instId === 'ANY') return envelope(swaps.map(fundingRow));
  const match = swaps.find((i) => okxId(i) === instId);
  return match ? envelope([fundingRow(match)]) : unknownInstrument();
}

function handle(request: ReplayRequest, universe: ReplayUniverse): ReplayResponse | undefined {
  if (!okxEncoder.hosts.includes(request.host)) return undefined;
  const history = okxHistory(request, universe);
  if (history) return history;
  const instruments = venueInstruments(universe, 'okx');
  const listed = (selected: ReplayInstrument[] | ReplayResponse, render: (i: ReplayInstrument) => unknown): ReplayResponse =>
    Array.isArray(selected) ? envelope(selected.map(render)) : selected;
  switch (request.path) {
    case '/api/v5/public/time':
      return envelope([{ ts: String(universe.asOf) }]);
    case '/api/v5/public/instruments':
      return listed(select(instruments, request.query), (i) => instrumentRow(i, universe));
    case '/api/v5/market/tickers':
      return listed(select(instruments, request.query), tickerRow);
    case '/api/v5/market/ticker': {
      const match = instruments.find((i) => okxId(i) === request.query.get('instId'));
      return match ? envelope([tickerRow(match)]) : unknownInstrument();
    }
    case '/api/v5/public/funding-rate':
      return fundingRates(instruments, request.query);
    case '/api/v5/public/mark-price':
      return listed(select(instruments, request.query, true), markPriceRow);
  }
  return fail(404, { code: '404', msg: 'Not Found', data: [] });
}

export const okxEncoder: VenueEncoder = { venue: 'okx', hosts: ['www.okx.com', 'aws.okx.com'], handle };
