import type { Exchange } from 'ccxt';
import { expect } from 'vitest';
import { createExchange } from '../../../src/market/exchange-factory.js';
import { startReplayServer, type ReplayServer } from '../../../src/market/replay/server.js';
import { loadBundledUniverse } from '../../../src/market/replay/universe-builder.js';
import type { ReplayInstrument, ReplayUniverse } from '../../../src/market/replay/universe.js';
import type { Quote, VenueId } from '../../../src/market/types.js';

/** A Wednesday noon, so both weeklies and quarterlies are live and distinct. */
export const FIXED_NOW = Date.UTC(2026, 10, 25, 12);

export interface ReplayVenue {
  server: ReplayServer;
  exchange: Exchange;
  universe: ReplayUniverse;
  instruments: ReplayInstrument[];
}

/** The replay server frozen at `now`, a ccxt exchange pointed at it, and the universe it serves. */
export async function startReplayVenue(venue: VenueId, now: number): Promise<ReplayVenue> {
  const server = await startReplayServer({ clock: () => now });
  const exchange = createExchange(venue, { baseUrl: server.url });
  const universe = loadBundledUniverse()(now);
  return { server, exchange, universe, instruments: universe.instruments.filter((i) => i.venue === venue) };
}

function yymmdd(ms: number): string {
  return new Date(ms).toISOString().slice(2, 10).replaceAll('-', '');
}

/** The ccxt unified symbol an instrument must load as, from ccxt's documented conventions. */
export function unifiedSymbol(instrument: ReplayInstrument): string {
  const { asset, quote, kind, margin, expiry } = instrument;
  if (kind === 'spot') return `${asset}/${quote}`;
  const settle = margin === 'inverse' ? asset : quote;
  const base = `${asset}/${margin === 'inverse' ? 'USD' : quote}:${settle}`;
  return kind === 'perp' ? base : `${base}-${yymmdd(expiry!)}`;
}

/** Every instrument of the universe loaded as a ccxt market of the right type, margin, size and expiry. */
export function expectMarketsMatchUniverse(exchange: Exchange, instruments: ReplayInstrument[]): void {
  const markets = exchange.markets ?? {};
  expect(Object.keys(markets).sort()).toEqual(instruments.map(unifiedSymbol).sort());
  for (const instrument of instruments) {
    const market = markets[unifiedSymbol(instrument)];
    const type = instrument.kind === 'perp' ? 'swap' : instrument.kind;
    expect(market.type, market.symbol).toBe(type);
    expect(market.precision.price, market.symbol).toBe(instrument.tickSize);
    if (instrument.kind === 'spot') continue;
    expect(market.linear, market.symbol).toBe(instrument.margin === 'linear');
    expect(market.inverse, market.symbol).toBe(instrument.margin === 'inverse');
    expect(market.contractSize, market.symbol).toBe(instrument.contractSize);
    if (instrument.kind === 'future') expect(market.expiry, market.symbol).toBe(instrument.expiry);
    else expect(market.expiry ?? undefined, market.symbol).toBeUndefined();
  }
}

export interface QuoteExpectations {
  /** The venue's endpoints in this family publish a mark price. */
  mark: boolean;
  /** ... and an index price. */
  index: boolean;
  /** The venue's endpoints in this family publish the last trade. */
  last: boolean;
  /** The venue stamps these quotes; otherwise the driver uses the time of receipt. */
  venueTimestamp: boolean;
  receivedAt: number;
}

/** One quote per instrument, equal to the universe's numbers; funding exactly on the perps. */
export function expectQuotesMatchUniverse(quotes: Quote[], instruments: ReplayInstrument[], expected: QuoteExpectations): void {
  const bySymbol = new Map(quotes.map((quote) => [quote.symbol, quote]));
  expect([...bySymbol.keys()].sort()).toEqual(instruments.map(unifiedSymbol).sort());
  for (const instrument of instruments) {
    const symbol = unifiedSymbol(instrument);
    const quote = bySymbol.get(symbol)!;
    expect(quote.bid, symbol).toBe(instrument.bid);
    expect(quote.ask, symbol).toBe(instrument.ask);
    expect(quote.mark, symbol).toBe(expected.mark ? instrument.mark : undefined);
    expect(quote.index, symbol).toBe(expected.index ? instrument.index : undefined);
    expect(quote.last, symbol).toBe(expected.last ? instrument.last : undefined);
    expect(quote.timestamp, symbol).toBe(expected.venueTimestamp ? instrument.timestamp : expected.receivedAt);
    if (instrument.kind !== 'perp') {
      expect(quote.funding, symbol).toBeUndefined();
      continue;
    }
    expect(quote.funding, symbol).toEqual({
      rate: instrument.fundingRate,
      intervalHours: instrument.fundingIntervalHours,
      nextFundingTime: instrument.nextFundingTime,
    });
  }
}

/** Requests the server saw, by `<host><path>`. */
export function requestsByPath(server: ReplayServer): Record<string, number> {
  return server.stats().byPath;
}
