import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { okxDriver } from '../../../src/market/venues/okx.js';
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
const FAMILY_OF_KIND = { spot: 'spot', perp: 'swap', future: 'future' } as const;
const inFamily = (family: string) => (instrument: ReplayInstrument): boolean => FAMILY_OF_KIND[instrument.kind] === family;
/** okx tickers carry bid/ask/last and the venue's time, never a mark or index. */
const TICKER_FIELDS = { mark: false, index: false, last: true, venueTimestamp: true, receivedAt: RECEIVED_AT };

describe('okx replay through ccxt', () => {
  let venue: ReplayVenue;
  beforeAll(async () => {
    venue = await startReplayVenue('okx', FIXED_NOW);
  });
  afterAll(() => venue.server.close());

  it('loads every instrument as the right ccxt market in 3 instruments requests (SPOT, FUTURES, SWAP)', async () => {
    venue.server.resetStats();
    await venue.exchange.loadMarkets();
    expect(requestsByPath(venue.server)).toEqual({ 'www.okx.com/api/v5/public/instruments': 3 });
    expectMarketsMatchUniverse(venue.exchange, venue.instruments);
    const markets = venue.exchange.markets ?? {};
    for (const symbol of ['BTC/USDT', 'BTC/USDT:USDT', 'BTC/USD:BTC', 'DOGE/USDT:USDT', 'SOL/USD:SOL']) {
      expect(markets[symbol], symbol).toBeDefined();
    }
    const futures = venue.instruments.filter((i) => i.asset === 'BTC' && i.kind === 'future' && i.margin === 'inverse');
    expect(futures.map((i) => markets[`BTC/USD:BTC-${new Date(i.expiry!).toISOString().slice(2, 10).replaceAll('-', '')}`].info.alias)).toEqual([
      'this_week',
      'next_week',
      'quarter',
      'next_quarter',
    ]);
    expect(markets['BTC/USD:BTC-261225'].expiry).toBe(Date.UTC(2026, 11, 25, 8));
    expect(markets['BTC/USD:BTC-261225'].id).toBe('BTC-USD-261225');
    expect(markets['BTC/USDT:USDT'].contractSize).toBe(0.01);
    expect(markets['BTC/USD:BTC'].contractSize).toBe(100);
  });

  it('offers every family for every asset', () => {
    expect(okxDriver.familiesFor('ETH')).toEqual(['spot', 'swap', 'future']);
    expect(okxDriver.familiesFor('XRP')).toEqual(okxDriver.familiesFor('ETH'));
  });

  it('spot: one tickers request', async () => {
    venue.server.resetStats();
    const quotes = await okxDriver.fetchFamily(venue.exchange, 'spot', receivedAt);
    expect(requestsByPath(venue.server)).toEqual({ 'www.okx.com/api/v5/market/tickers': 1 });
    expectQuotesMatchUniverse(quotes, venue.instruments.filter(inFamily('spot')), TICKER_FIELDS);
  });

  it('swap: tickers + one funding-rate request for all swaps, linear and inverse', async () => {
    venue.server.resetStats();
    const quotes = await okxDriver.fetchFamily(venue.exchange, 'swap', receivedAt);
    expect(requestsByPath(venue.server)).toEqual({
      'www.okx.com/api/v5/market/tickers': 1,
      'www.okx.com/api/v5/public/funding-rate': 1,
    });
    expectQuotesMatchUniverse(quotes, venue.instruments.filter(inFamily('swap')), TICKER_FIELDS);
    expect(quotes.filter((quote) => quote.funding).map((quote) => quote.symbol)).toContain('BTC/USD:BTC');
  });

  it('future: one tickers request for every dated contract, no funding', async () => {
    venue.server.resetStats();
    const quotes = await okxDriver.fetchFamily(venue.exchange, 'future', receivedAt);
    expect(requestsByPath(venue.server)).toEqual({ 'www.okx.com/api/v5/market/tickers': 1 });
    expectQuotesMatchUniverse(quotes, venue.instruments.filter(inFamily('future')), TICKER_FIELDS);
  });

  it('rejects an unknown symbol in ccxt, and the venue answers 51001 in its envelope (BadSymbol)', async () => {
    await expect(venue.exchange.fetchTicker('NOPE/USDT')).rejects.toBeInstanceOf(ccxt.BadSymbol);
    const raw = venue.exchange as unknown as Record<string, (params: object) => Promise<unknown>>;
    await expect(raw['publicGetMarketTicker']({ instId: 'NOPE-USDT' })).rejects.toBeInstanceOf(ccxt.BadSymbol);
    await expect(raw['publicGetPublicFundingRate']({ instId: 'BTC-USD-261225' })).rejects.toBeInstanceOf(ccxt.BadSymbol);
    await expect(raw['publicGetMarketTickers']({ instType: 'PERP' })).rejects.toBeInstanceOf(ccxt.BadRequest);
    await expect(okxDriver.fetchFamily(venue.exchange, 'linear', receivedAt)).rejects.toThrow(/no market family/);
  });

  it('answers a single ticker and mark prices in the envelope', async () => {
    const btc = venue.instruments.find((i) => i.asset === 'BTC' && i.kind === 'perp' && i.margin === 'linear')!;
    const ticker = await venue.exchange.fetchTicker('BTC/USDT:USDT');
    expect([ticker.bid, ticker.ask, ticker.last]).toEqual([btc.bid, btc.ask, btc.last]);
    const marks = await venue.exchange.fetchMarkPrices(undefined, { type: 'swap' });
    expect(marks['BTC/USDT:USDT'].markPrice).toBe(btc.mark);
  });
});

describe('okx replay at the real clock', () => {
  it('loads live weeklies and quarterlies whose expiries match the universe, and quotes them', async () => {
    const venue = await startReplayVenue('okx', Date.now());
    try {
      await venue.exchange.loadMarkets();
      expectMarketsMatchUniverse(venue.exchange, venue.instruments);
      const quotes = await okxDriver.fetchFamily(venue.exchange, 'future', receivedAt);
      expectQuotesMatchUniverse(quotes, venue.instruments.filter(inFamily('future')), TICKER_FIELDS);
    } finally {
      await venue.server.close();
    }
  });
});
