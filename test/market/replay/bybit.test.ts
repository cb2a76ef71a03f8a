import { BadSymbol, type Exchange } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExchange } from '../../../src/market/exchange-factory.js';
import { startReplayServer, type ReplayServer } from '../../../src/market/replay/server.js';
import { loadBundledUniverse } from '../../../src/market/replay/universe-builder.js';
import type { ReplayInstrument, ReplayUniverse } from '../../../src/market/replay/universe.js';
import { unifiedSymbol } from './venue-test-helpers.js';
import { bybitDriver } from '../../../src/market/venues/bybit.js';

const FIXED_NOW = Date.UTC(2025, 10, 25, 12, 0, 0);
const DEC_26 = Date.UTC(2025, 11, 26, 8);
const MAR_27 = Date.UTC(2026, 2, 27, 8);
const RECEIVED_AT = FIXED_NOW + 250;

function instrument(fields: Partial<ReplayInstrument> & Pick<ReplayInstrument, 'asset' | 'kind' | 'margin' | 'quote' | 'bid' | 'ask'>): ReplayInstrument {
  const mid = (fields.bid + fields.ask) / 2;
  return { venue: 'bybit', last: mid, mark: mid, index: mid, contractSize: 1, tickSize: 0.1, volume24hQuote: 5e6, timestamp: FIXED_NOW - 300, ...fields };
}

/** A small bybit market: both margins, perps with different funding intervals, dated futures. */
function bybitUniverse(now: number): ReplayUniverse {
  return {
    asOf: now,
    instruments: [
      instrument({ asset: 'BTC', kind: 'spot', margin: 'linear', quote: 'USDT', bid: 97990.12, ask: 97990.34, tickSize: 0.01 }),
      instrument({ asset: 'SOL', kind: 'spot', margin: 'linear', quote: 'USDT', bid: 184.96, ask: 184.99, tickSize: 0.01 }),
      instrument({
        asset: 'BTC', kind: 'perp', margin: 'linear', quote: 'USDT', bid: 98020.1, ask: 98020.3, mark: 98020.25, index: 97990.2,
        fundingRate: 0.0001, fundingIntervalHours: 8, nextFundingTime: Date.UTC(2025, 10, 25, 16),
      }),
      instrument({
        asset: 'SOL', kind: 'perp', margin: 'linear', quote: 'USDT', bid: 184.87, ask: 184.9, mark: 184.883, index: 184.975, tickSize: 0.01,
        fundingRate: -0.00014, fundingIntervalHours: 4, nextFundingTime: Date.UTC(2025, 10, 25, 16),
      }),
      instrument({ asset: 'BTC', kind: 'future', margin: 'linear', quote: 'USDT', bid: 98468.5, ask: 98484, mark: 98476.17, tickSize: 0.5, expiry: DEC_26 }),
      instrument({
        asset: 'BTC', kind: 'perp', margin: 'inverse', quote: 'USD', bid: 98023.5, ask: 98025.5, mark: 98024.5, tickSize: 0.5,
        fundingRate: -0.00005, fundingIntervalHours: 8, nextFundingTime: Date.UTC(2025, 10, 25, 16),
      }),
      instrument({ asset: 'BTC', kind: 'future', margin: 'inverse', quote: 'USD', bid: 100502, ask: 100517.5, mark: 100509.94, tickSize: 0.5, expiry: MAR_27 }),
    ],
  };
}

function familyOf(item: ReplayInstrument): string {
  return item.kind === 'spot' ? 'spot' : item.margin;
}

/** Fetches every family and checks each quote against the universe it was served from. */
async function expectFamiliesMatch(server: ReplayServer, exchange: Exchange, instruments: ReplayInstrument[]): Promise<void> {
  for (const family of bybitDriver.familiesFor('BTC')) {
    server.resetStats();
    const quotes = await bybitDriver.fetchFamily(exchange, family, () => RECEIVED_AT);
    expect(server.stats().byPath).toEqual({ 'api.bybit.com/v5/market/tickers': 1 });
    const expected = instruments.filter((item) => familyOf(item) === family);
    expect(quotes.map((quote) => quote.symbol).sort()).toEqual(expected.map(unifiedSymbol).sort());
    for (const item of expected) {
      const quote = quotes.find((candidate) => candidate.symbol === unifiedSymbol(item))!;
      expect({ bid: quote.bid, ask: quote.ask, last: quote.last }).toEqual({ bid: item.bid, ask: item.ask, last: item.last });
      // bybit ticker rows carry no time: the driver dates them by the answer's `time`, the newest quote in it.
      expect(quote.timestamp).toBe(Math.max(...expected.map((candidate) => candidate.timestamp)));
      expect(quote.timestamp).not.toBe(RECEIVED_AT);
      if (item.kind !== 'spot') expect({ mark: quote.mark, index: quote.index }).toEqual({ mark: item.mark, index: item.index });
      if (item.kind === 'perp') {
        expect(quote.funding).toEqual({ rate: item.fundingRate, intervalHours: item.fundingIntervalHours, nextFundingTime: item.nextFundingTime });
      } else {
        expect(quote.funding).toBeUndefined();
      }
    }
  }
}

describe('bybit replay with a small universe', () => {
  let server: ReplayServer;
  let exchange: Exchange;
  const universe = bybitUniverse(FIXED_NOW);

  beforeAll(async () => {
    server = await startReplayServer({ clock: () => FIXED_NOW, universe: bybitUniverse });
    exchange = createExchange('bybit', { baseUrl: server.url });
    await exchange.loadMarkets();
  });
  afterAll(async () => server?.close());

  it('loads spot, linear and inverse markets in 5 instruments-info requests', async () => {
    const fresh = createExchange('bybit', { baseUrl: server.url });
    server.resetStats();
    await fresh.loadMarkets();
    expect(server.stats().byPath).toEqual({ 'api.bybit.com/v5/market/instruments-info': 5 });

    expect(fresh.market('BTC/USDT')).toMatchObject({ id: 'BTCUSDT', type: 'spot' });
    expect(fresh.market('BTC/USDT:USDT')).toMatchObject({ id: 'BTCUSDT', type: 'swap', linear: true, settle: 'USDT' });
    expect(fresh.market('BTC/USDT:USDT-251226')).toMatchObject({ id: 'BTCUSDT-26DEC25', type: 'future', linear: true, expiry: DEC_26 });
    expect(fresh.market('BTC/USD:BTC')).toMatchObject({ id: 'BTCUSD', type: 'swap', inverse: true, settle: 'BTC', contractSize: 1 });
    expect(fresh.market('BTC/USD:BTC-260327')).toMatchObject({ id: 'BTCUSDH26', type: 'future', inverse: true, expiry: MAR_27 });
    expect(Object.keys(fresh.markets ?? {}).sort()).toEqual(universe.instruments.map(unifiedSymbol).sort());
  });

  it('names families spot, linear and inverse for every asset', () => {
    expect(bybitDriver.familiesFor('SOL')).toEqual(['spot', 'linear', 'inverse']);
  });

  it('quotes each family in one tickers request with the universe bid/ask/mark and perp funding', async () => {
    await expectFamiliesMatch(server, exchange, universe.instruments);
  });

  it('sends tickers in bybit envelope with string numbers', async () => {
    const response = await fetch(`${server.url}/api.bybit.com/v5/market/tickers?category=linear&symbol=BTCUSDT-26DEC25`);
    const body = await response.json();
    expect(body).toMatchObject({ retCode: 0, retMsg: 'OK', retExtInfo: {}, time: FIXED_NOW - 300, result: { category: 'linear' } });
    const [row] = body.result.list;
    expect(row).toMatchObject({ symbol: 'BTCUSDT-26DEC25', bid1Price: '98468.5', ask1Price: '98484.0', markPrice: '98476.17', fundingRate: '', deliveryTime: String(DEC_26) });
  });

  it('answers an unknown symbol with bybit error 10001, which ccxt raises as BadSymbol', async () => {
    const response = await fetch(`${server.url}/api.bybit.com/v5/market/tickers?category=linear&symbol=NOPEUSDT`);
    expect(await response.json()).toMatchObject({ retCode: 10001, retMsg: 'Not supported symbols', result: {} });
    const raw = exchange as unknown as { publicGetV5MarketTickers(params: object): Promise<unknown> };
    await expect(raw.publicGetV5MarketTickers({ category: 'linear', symbol: 'NOPEUSDT' })).rejects.toBeInstanceOf(BadSymbol);
    await expect(exchange.fetchTicker('NOPE/USDT:USDT')).rejects.toBeInstanceOf(BadSymbol);
  });

  it('answers an unknown path with a bare 404', async () => {
    const response = await fetch(`${server.url}/api.bybit.com/v5/market/nothing-here`);
    expect(response.status).toBe(404);
  });
});

describe('bybit replay pagination', () => {
  it('pages linear instruments with limit/cursor, as ccxt follows them', async () => {
    const assets = Array.from({ length: 1200 }, (_, n) => `C${n}`);
    const many = (now: number): ReplayUniverse => ({
      asOf: now,
      instruments: assets.map((asset) =>
        instrument({ asset, kind: 'perp', margin: 'linear', quote: 'USDT', bid: 1.1, ask: 1.2, fundingRate: 0.0001, fundingIntervalHours: 8, nextFundingTime: now + 1 }),
      ),
    });
    const server = await startReplayServer({ clock: () => FIXED_NOW, universe: many });
    try {
      const exchange = createExchange('bybit', { baseUrl: server.url });
      await exchange.loadMarkets();
      // spot, linear page 1, linear page 2 (cursor), linear PreLaunch, inverse, inverse PreLaunch
      expect(server.stats().byPath['api.bybit.com/v5/market/instruments-info']).toBe(6);
      expect(Object.keys(exchange.markets ?? {})).toHaveLength(1200);
      expect(exchange.market('C1199/USDT:USDT').id).toBe('C1199USDT');
    } finally {
      await server.close();
    }
  });
});

describe('bybit replay with the bundled universe', () => {
  it('serves every bundled bybit instrument and quotes it through the driver', async () => {
    const server = await startReplayServer({ clock: () => FIXED_NOW });
    try {
      const bybitInstruments = loadBundledUniverse()(FIXED_NOW).instruments.filter((item) => item.venue === 'bybit');
      expect(bybitInstruments.length).toBeGreaterThan(0);
      const exchange = createExchange('bybit', { baseUrl: server.url });
      await exchange.loadMarkets();
      expect(Object.keys(exchange.markets ?? {}).sort()).toEqual(bybitInstruments.map(unifiedSymbol).sort());
      await expectFamiliesMatch(server, exchange, bybitInstruments);
    } finally {
      await server.close();
    }
  });
});
