import { BadRequest, BadSymbol, type Exchange } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExchange } from '../../../src/market/exchange-factory.js';
import { startReplayServer, type ReplayServer } from '../../../src/market/replay/server.js';
import { loadBundledUniverse } from '../../../src/market/replay/universe-builder.js';
import type { ReplayInstrument, ReplayUniverse } from '../../../src/market/replay/universe.js';
import { unifiedSymbol } from './venue-test-helpers.js';
import { deribitDriver } from '../../../src/market/venues/deribit.js';

const FIXED_NOW = Date.UTC(2025, 10, 25, 12, 0, 0);
const DEC_5 = Date.UTC(2025, 11, 5, 8);
const DEC_26 = Date.UTC(2025, 11, 26, 8);
const YEAR_3000 = Date.UTC(3000, 0, 1);
const RECEIVED_AT = FIXED_NOW + 250;

function instrument(fields: Partial<ReplayInstrument> & Pick<ReplayInstrument, 'asset' | 'kind' | 'margin' | 'quote' | 'bid' | 'ask'>): ReplayInstrument {
  const mid = (fields.bid + fields.ask) / 2;
  return { venue: 'deribit', last: mid, mark: mid, index: mid, contractSize: 1, tickSize: 0.5, volume24hQuote: 5e6, timestamp: FIXED_NOW - 300, ...fields };
}

/** A small deribit market: USDC spot, inverse perp and futures (one weekly), a linear USDC perp. */
function deribitUniverse(now: number): ReplayUniverse {
  return {
    asOf: now,
    instruments: [
      instrument({ asset: 'BTC', kind: 'spot', margin: 'linear', quote: 'USDC', bid: 98014, ask: 98025, tickSize: 1, timestamp: now - 120 }),
      instrument({ asset: 'SOL', kind: 'spot', margin: 'linear', quote: 'USDC', bid: 185.01, ask: 185.1, tickSize: 0.01, timestamp: now - 140 }),
      instrument({
        asset: 'BTC', kind: 'perp', margin: 'inverse', quote: 'USD', bid: 98056, ask: 98061.5, mark: 98058.81, index: 98019.6, contractSize: 10,
        fundingRate: 0.000095, fundingIntervalHours: 8, nextFundingTime: Date.UTC(2025, 10, 25, 16), timestamp: now - 160,
      }),
      instrument({ asset: 'BTC', kind: 'future', margin: 'inverse', quote: 'USD', bid: 98152.5, ask: 98175, mark: 98162.81, index: 98019.6, contractSize: 10, tickSize: 2.5, expiry: DEC_5, timestamp: now - 180 }),
      instrument({ asset: 'BTC', kind: 'future', margin: 'inverse', quote: 'USD', bid: 98532.5, ask: 98555, mark: 98542.98, index: 98019.6, contractSize: 10, tickSize: 2.5, expiry: DEC_26, timestamp: now - 200 }),
      instrument({
        asset: 'SOL', kind: 'perp', margin: 'linear', quote: 'USDC', bid: 184.88, ask: 184.93, mark: 184.907, index: 185.055, tickSize: 0.01,
        fundingRate: -0.00035, fundingIntervalHours: 8, nextFundingTime: Date.UTC(2025, 10, 25, 16), timestamp: now - 220,
      }),
    ],
  };
}

/** Where deribit lists an instrument: BTC/ETH under their own name, everything else under USDC. */
function familyOf(item: ReplayInstrument): string {
  const kind = item.kind === 'spot' ? 'spot' : 'future';
  const ownName = item.asset === 'BTC' || item.asset === 'ETH';
  return `${kind}:${ownName ? item.asset : 'USDC'}`;
}

/** Fetches the asset's families and checks each quote against the universe it was served from. */
async function expectFamiliesMatch(server: ReplayServer, exchange: Exchange, instruments: ReplayInstrument[], asset: string): Promise<void> {
  for (const family of deribitDriver.familiesFor(asset)) {
    server.resetStats();
    const quotes = await deribitDriver.fetchFamily(exchange, family, () => RECEIVED_AT);
    expect(server.stats().byPath).toEqual({ 'www.deribit.com/api/v2/public/get_book_summary_by_currency': 1 });
    const expected = instruments.filter((item) => familyOf(item) === family);
    expect(quotes.map((quote) => quote.symbol).sort()).toEqual(expected.map(unifiedSymbol).sort());
    for (const item of expected) {
      const quote = quotes.find((candidate) => candidate.symbol === unifiedSymbol(item))!;
      expect(quote).toMatchObject({ bid: item.bid, ask: item.ask, last: item.last, mark: item.mark, index: item.index, timestamp: item.timestamp });
      if (item.kind === 'perp') {
        // deribit funds continuously and publishes an 8h rate, with no next funding time.
        expect(quote.funding).toEqual({ rate: (item.fundingRate! * 8) / item.fundingIntervalHours!, intervalHours: 8 });
      } else {
        expect(quote.funding).toBeUndefined();
      }
    }
  }
}

describe('deribit replay with a small universe', () => {
  let server: ReplayServer;
  let exchange: Exchange;
  const universe = deribitUniverse(FIXED_NOW);

  beforeAll(async () => {
    server = await startReplayServer({ clock: () => FIXED_NOW, universe: deribitUniverse });
    exchange = createExchange('deribit', { baseUrl: server.url });
    await exchange.loadMarkets();
  });
  afterAll(async () => server?.close());

  it('loads every market in 2 requests (get_currencies, get_instruments)', async () => {
    const fresh = createExchange('deribit', { baseUrl: server.url });
    server.resetStats();
    await fresh.loadMarkets();
    expect(server.stats().byPath).toEqual({
      'www.deribit.com/api/v2/public/get_currencies': 1,
      'www.deribit.com/api/v2/public/get_instruments': 1,
    });
    expect(fresh.market('BTC/USDC')).toMatchObject({ id: 'BTC_USDC', type: 'spot', swap: false });
    expect(fresh.market('BTC/USD:BTC')).toMatchObject({ id: 'BTC-PERPETUAL', type: 'swap', inverse: true, contractSize: 10 });
    expect(fresh.market('BTC/USD:BTC-251205')).toMatchObject({ id: 'BTC-5DEC25', type: 'future', inverse: true, expiry: DEC_5 });
    expect(fresh.market('BTC/USD:BTC-251226')).toMatchObject({ id: 'BTC-26DEC25', expiry: DEC_26 });
    expect(fresh.market('SOL/USDC:USDC')).toMatchObject({ id: 'SOL_USDC-PERPETUAL', type: 'swap', linear: true });
    // Perpetuals and spot pairs never expire: deribit puts them in the year 3000.
    for (const symbol of ['BTC/USDC', 'BTC/USD:BTC', 'SOL/USDC:USDC']) {
      expect(new Date(fresh.market(symbol).expiry!).getUTCFullYear()).toBe(new Date(YEAR_3000).getUTCFullYear());
    }
    expect(Object.keys(fresh.markets ?? {}).sort()).toEqual(universe.instruments.map(unifiedSymbol).sort());
  });

  it('finds BTC under BTC and SOL under USDC', () => {
    expect(deribitDriver.familiesFor('BTC')).toEqual(['future:BTC', 'spot:BTC']);
    expect(deribitDriver.familiesFor('sol')).toEqual(['spot:USDC', 'future:USDC']);
  });

  it('quotes each family in one book-summary request with the universe prices and perp funding', async () => {
    await expectFamiliesMatch(server, exchange, universe.instruments, 'BTC');
    await expectFamiliesMatch(server, exchange, universe.instruments, 'SOL');
  });

  it('sends JSON-RPC envelopes with numbers as numbers', async () => {
    const response = await fetch(`${server.url}/www.deribit.com/api/v2/public/get_book_summary_by_currency?currency=BTC&kind=future`);
    const body = await response.json();
    expect(body).toMatchObject({ jsonrpc: '2.0', testnet: false, usIn: FIXED_NOW * 1000 });
    expect(body.usOut - body.usIn).toBe(body.usDiff);
    const perp = body.result.find((row: { instrument_name: string }) => row.instrument_name === 'BTC-PERPETUAL');
    expect(perp).toMatchObject({ bid_price: 98056, ask_price: 98061.5, mark_price: 98058.81, funding_8h: 0.000095, estimated_delivery_price: 98019.6 });
  });

  it('answers an unknown instrument with a JSON-RPC error; ccxt raises BadRequest, or BadSymbol before asking', async () => {
    const response = await fetch(`${server.url}/www.deribit.com/api/v2/public/ticker?instrument_name=NOPE-PERPETUAL`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      jsonrpc: '2.0',
      error: { code: -32602, message: 'Invalid params', data: { param: 'instrument_name' } },
    });
    const raw = exchange as unknown as { publicGetTicker(params: object): Promise<unknown> };
    await expect(raw.publicGetTicker({ instrument_name: 'NOPE-PERPETUAL' })).rejects.toBeInstanceOf(BadRequest);
    await expect(exchange.fetchTicker('NOPE/USD:NOPE')).rejects.toBeInstanceOf(BadSymbol);
  });

  it('answers an unknown method with JSON-RPC "Method not found"', async () => {
    const response = await fetch(`${server.url}/www.deribit.com/api/v2/public/get_nothing`);
    expect(await response.json()).toMatchObject({ error: { code: -32601, message: 'Method not found' } });
  });
});

describe('deribit replay with the bundled universe', () => {
  it('serves every bundled deribit instrument and quotes BTC, ETH and SOL through the driver', async () => {
    const server = await startReplayServer({ clock: () => FIXED_NOW });
    try {
      const deribitInstruments = loadBundledUniverse()(FIXED_NOW).instruments.filter((item) => item.venue === 'deribit');
      expect(deribitInstruments.length).toBeGreaterThan(0);
      const exchange = createExchange('deribit', { baseUrl: server.url });
      await exchange.loadMarkets();
      expect(Object.keys(exchange.markets ?? {}).sort()).toEqual(deribitInstruments.map(unifiedSymbol).sort());
      for (const asset of ['BTC', 'ETH', 'SOL']) await expectFamiliesMatch(server, exchange, deribitInstruments, asset);
    } finally {
      await server.close();
    }
  });
});
