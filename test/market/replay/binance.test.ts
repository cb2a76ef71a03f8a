import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binanceDriver } from '../../../src/market/venues/binance.js';
import type { ReplayInstrument } from '../../../src/market/replay/universe.js';
import {
  expectMarketsMatchUniverse,
  expectQuotesMatchUniverse,
  FIXED_NOW,
  requestsByPath,
  startReplayVenue,
  type ReplayVenue,
} from './venue-test-helpers.js';

const RECEIVED_AT = 1_700_000_000_000;
const receivedAt = (): number => RECEIVED_AT;
const inFamily = (family: string) => (instrument: ReplayInstrument): boolean =>
  (instrument.kind === 'spot' ? 'spot' : instrument.margin) === family;

describe('binance replay through ccxt', () => {
  let venue: ReplayVenue;
  beforeAll(async () => {
    venue = await startReplayVenue('binance', FIXED_NOW);
  });
  afterAll(() => venue.server.close());

  it('loads every instrument as the right ccxt market in 3 requests (spot, fapi, dapi exchangeInfo)', async () => {
    venue.server.resetStats();
    await venue.exchange.loadMarkets();
    expect(requestsByPath(venue.server)).toEqual({
      'api.binance.com/api/v3/exchangeInfo': 1,
      'fapi.binance.com/fapi/v1/exchangeInfo': 1,
      'dapi.binance.com/dapi/v1/exchangeInfo': 1,
    });
    expectMarketsMatchUniverse(venue.exchange, venue.instruments);
    const markets = venue.exchange.markets ?? {};
    for (const symbol of ['BTC/USDT', 'BTC/USDT:USDT', 'BTC/USD:BTC', 'XRP/USDT:USDT', 'SOL/USD:SOL']) {
      expect(markets[symbol], symbol).toBeDefined();
    }
    const quarterly = venue.instruments.find((i) => i.asset === 'BTC' && i.kind === 'future' && i.margin === 'linear')!;
    expect(markets['BTC/USDT:USDT-261225'].expiry).toBe(quarterly.expiry);
    expect(markets['BTC/USDT:USDT-261225'].id).toBe('BTCUSDT_261225');
    expect(markets['BTC/USD:BTC'].contractSize).toBe(100);
    expect(markets['ETH/USD:ETH'].contractSize).toBe(10);
  });

  it('offers every family for every asset', () => {
    expect(binanceDriver.familiesFor('BTC')).toEqual(['spot', 'linear', 'inverse']);
    expect(binanceDriver.familiesFor('DOGE')).toEqual(binanceDriver.familiesFor('BTC'));
  });

  it('spot: bid/ask from one book-ticker request, stamped on receipt (spot sends no time)', async () => {
    venue.server.resetStats();
    const quotes = await binanceDriver.fetchFamily(venue.exchange, 'spot', receivedAt);
    expect(requestsByPath(venue.server)).toEqual({ 'api.binance.com/api/v3/ticker/bookTicker': 1 });
    expectQuotesMatchUniverse(quotes, venue.instruments.filter(inFamily('spot')), {
      mark: false,
      index: false,
      last: false,
      venueTimestamp: false,
      receivedAt: RECEIVED_AT,
    });
  });

  it('linear: book ticker + premiumIndex + fundingInfo; SOL funds every 4h, the rest 8h', async () => {
    venue.server.resetStats();
    const quotes = await binanceDriver.fetchFamily(venue.exchange, 'linear', receivedAt);
    expect(requestsByPath(venue.server)).toEqual({
      'fapi.binance.com/fapi/v1/ticker/bookTicker': 1,
      'fapi.binance.com/fapi/v1/premiumIndex': 1,
      'fapi.binance.com/fapi/v1/fundingInfo': 1,
    });
    expectQuotesMatchUniverse(quotes, venue.instruments.filter(inFamily('linear')), {
      mark: true,
      index: true,
      last: false,
      venueTimestamp: true,
      receivedAt: RECEIVED_AT,
    });
    const intervals = Object.fromEntries(quotes.filter((q) => q.funding).map((q) => [q.symbol, q.funding!.intervalHours]));
    expect(intervals).toEqual({ 'BTC/USDT:USDT': 8, 'ETH/USDT:USDT': 8, 'SOL/USDT:USDT': 4, 'XRP/USDT:USDT': 8, 'DOGE/USDT:USDT': 8 });
  });

  it('inverse: book ticker + premiumIndex, perps funding every 8h', async () => {
    venue.server.resetStats();
    const quotes = await binanceDriver.fetchFamily(venue.exchange, 'inverse', receivedAt);
    expect(requestsByPath(venue.server)).toEqual({
      'dapi.binance.com/dapi/v1/ticker/bookTicker': 1,
      'dapi.binance.com/dapi/v1/premiumIndex': 1,
    });
    expectQuotesMatchUniverse(quotes, venue.instruments.filter(inFamily('inverse')), {
      mark: true,
      index: true,
      last: false,
      venueTimestamp: true,
      receivedAt: RECEIVED_AT,
    });
  });

  it('rejects an unknown symbol in ccxt, and the venue answers its own -1121 error (BadSymbol)', async () => {
    await expect(venue.exchange.fetchTicker('NOPE/USDT')).rejects.toBeInstanceOf(ccxt.BadSymbol);
    const raw = venue.exchange as unknown as Record<string, (params: object) => Promise<unknown>>;
    await expect(raw['publicGetTickerBookTicker']({ symbol: 'NOPEUSDT' })).rejects.toBeInstanceOf(ccxt.BadSymbol);
    await expect(raw['fapiPublicGetPremiumIndex']({ symbol: 'NOPEUSDT' })).rejects.toThrow(/-1121/);
    await expect(binanceDriver.fetchFamily(venue.exchange, 'option', receivedAt)).rejects.toThrow(/no market family/);
  });

  it('answers single-symbol requests the way binance does (object on fapi, array on dapi)', async () => {
    const raw = venue.exchange as unknown as Record<string, (params: object) => Promise<unknown>>;
    const fapi = (await raw['fapiPublicGetTickerBookTicker']({ symbol: 'BTCUSDT' })) as { symbol: string };
    expect(fapi.symbol).toBe('BTCUSDT');
    const dapi = (await raw['dapiPublicGetPremiumIndex']({ symbol: 'BTCUSD_PERP' })) as { symbol: string }[];
    expect(dapi.map((row) => row.symbol)).toEqual(['BTCUSD_PERP']);
    const ticker = await venue.exchange.fetchTicker('ETH/USD:ETH');
    expect(ticker.last).toBe(venue.instruments.find((i) => i.asset === 'ETH' && i.kind === 'perp' && i.margin === 'inverse')!.last);
  });
});

describe('binance replay at the real clock', () => {
  it('loads live quarterlies whose expiries match the universe, and quotes them', async () => {
    const venue = await startReplayVenue('binance', Date.now());
    try {
      await venue.exchange.loadMarkets();
      expectMarketsMatchUniverse(venue.exchange, venue.instruments);
      const quotes = await binanceDriver.fetchFamily(venue.exchange, 'linear', receivedAt);
      expectQuotesMatchUniverse(quotes, venue.instruments.filter(inFamily('linear')), {
        mark: true,
        index: true,
        last: false,
        venueTimestamp: true,
        receivedAt: RECEIVED_AT,
      });
    } finally {
      await venue.server.close();
    }
  });
});
