import type { Exchange } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExchange } from '../../src/market/exchange-factory.js';
import { expiredFutures } from '../../src/market/history-contracts.js';
import { fetchCoinBook } from '../../src/market/order-books.js';
import { dailyCandles, dayStart, DAY_MS, fundingEvents, instrumentsAt, syntheticBook } from '../../src/market/replay/history.js';
import { startReplayServer, type ReplayServer } from '../../src/market/replay/server.js';
import { SUPPORTED_VENUES, type VenueId } from '../../src/market/types.js';

/**
 * The replay's history routes in each venue's own wire format, parsed by the real ccxt:
 * what ccxt returns must be the synthetic history (replay/history.ts) unchanged. ccxt
 * reads its own clock for some windows, so the replay runs on the real clock too.
 */

let server: ReplayServer;
const exchanges = new Map<VenueId, Exchange>();

beforeAll(async () => {
  server = await startReplayServer();
  await Promise.all(
    SUPPORTED_VENUES.map(async (venue) => {
      const exchange = createExchange(venue, { baseUrl: server.url });
      await exchange.loadMarkets();
      exchanges.set(venue, exchange);
    }),
  );
});
afterAll(() => server.close());

/** The venue's BTC spot, its perp and its earliest live inverse future, as ccxt names them. */
function btcMarkets(venue: VenueId): { spot: string; perp: string; future: string } {
  const markets = Object.values(exchanges.get(venue)!.markets ?? {});
  const spot = markets.find((m) => m.spot && m.base === 'BTC' && ['USDT', 'USDC'].includes(m.quote))!;
  const perp = markets.find((m) => m.swap && m.base === 'BTC' && (venue === 'deribit' ? m.inverse : m.settle === 'USDT'))!;
  // Live only: the expired-contract test registers expired markets on the same exchanges.
  const future = markets.filter((m) => m.future && m.base === 'BTC' && m.inverse && m.expiry! > Date.now()).sort((a, b) => a.expiry! - b.expiry!)[0];
  return { spot: spot.symbol, perp: perp.symbol, future: future.symbol };
}

describe.each([...SUPPORTED_VENUES])('%s history through ccxt', (venue) => {
  it('serves daily candles of spot and a future, oldest to newest, as the synthetic history', async () => {
    const exchange = exchanges.get(venue)!;
    const { spot, future } = btcMarkets(venue);
    const now = Date.now();
    const since = dayStart(now) - 10 * DAY_MS;
    for (const symbol of [spot, future]) {
      const candles = await exchange.fetchOHLCV(symbol, '1d', since, 10, { until: dayStart(now) - 1 });
      expect(candles.map((c) => c[0])).toEqual(Array.from({ length: 10 }, (_, i) => since + i * DAY_MS));
      const market = exchange.market(symbol);
      const expected = dailyCandles(now, venue, (i) => i.asset === 'BTC' && (market.spot ? i.kind === 'spot' : i.expiry === market.expiry && i.margin === 'inverse'), since, dayStart(now) - 1);
      expect(candles.map((c) => c[4])).toEqual(expected.map((c) => c.close));
    }
  });

  it('serves candles of a contract that expired inside the window, which ccxt no longer lists', async () => {
    const exchange = exchanges.get(venue)!;
    const now = Date.now();
    const live = Object.values(exchange.markets ?? {}).filter((m) => m.future && m.base === 'BTC' && m.inverse && m.expiry! > now);
    const expired = expiredFutures(exchange, venue, live, now - 90 * DAY_MS, now);
    const answered: string[] = [];
    for (const market of expired) {
      const candles = await exchange.fetchOHLCV(market.symbol, '1d', now - 90 * DAY_MS, 90, { until: now }).catch(() => []);
      if (candles.length === 0) continue;
      answered.push(market.symbol);
      // Its last candle is the day before it expired: it was not listed on its expiry day's close.
      expect(candles[candles.length - 1][0]).toBeLessThan(market.expiry!);
    }
    // Every venue lists a quarterly; 90 days back always reaches the one that expired before it.
    expect(answered.length).toBeGreaterThan(0);
  });

  it('serves the perp funding history, one row per settlement', async () => {
    const exchange = exchanges.get(venue)!;
    const { perp } = btcMarkets(venue);
    const now = Date.now();
    const from = dayStart(now) - 3 * DAY_MS;
    const rows = await exchange.fetchFundingRateHistory(perp, from, venue === 'okx' ? 100 : 200, { until: dayStart(now) - 1 });
    const mine = rows.filter((row) => row.timestamp! >= from && row.timestamp! < dayStart(now));
    const expected = fundingEvents(now, venue, (i) => i.asset === 'BTC' && i.kind === 'perp' && (venue === 'deribit' || i.quote === 'USDT'), from, dayStart(now) - 1, venue === 'deribit' ? 1 : undefined);
    expect(mine.map((row) => row.timestamp)).toEqual(expected.map((event) => event.time));
    // deribit quotes each hourly row as an 8-hour rate.
    expect(mine.map((row) => row.fundingRate)).toEqual(expected.map((event) => (venue === 'deribit' ? (event.rate * 8) / event.intervalHours : event.rate)));
  });

  it('serves order books whose amounts convert to the synthetic book in coins', async () => {
    const exchange = exchanges.get(venue)!;
    const { spot, future } = btcMarkets(venue);
    for (const symbol of [spot, future]) {
      const book = await fetchCoinBook(exchange, venue, symbol, 25);
      const market = exchange.market(symbol);
      const instrument = instrumentsAt(dayStart(Date.now()), venue, Date.now()).find((i) => i.asset === 'BTC' && (market.spot ? i.kind === 'spot' : i.expiry === market.expiry && i.margin === 'inverse'))!;
      const expected = syntheticBook(instrument, 25);
      expect(book.asks.map(([price]) => price)).toEqual(expected.asks.map(([price]) => price));
      // Money per level: coins x price back to the synthetic USD, within the venue's lot rounding.
      book.asks.forEach(([price, coins], index) => expect(Math.abs(coins * price - expected.asks[index][1]) / expected.asks[index][1]).toBeLessThan(0.01));
      expect(book.takerFee).toBeGreaterThanOrEqual(0);
    }
  });
});
