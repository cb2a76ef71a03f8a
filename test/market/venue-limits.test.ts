import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exchange } from 'ccxt';
import { createExchange } from '../../src/market/exchange-factory.js';
import { startReplayServer, type ReplayServer } from '../../src/market/replay/server.js';
import { windowBudget } from '../../src/market/venue-limits.js';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

/** binance's implicit REST methods (one per endpoint), as ccxt generates them. */
interface BinanceEndpoints {
  fapiPublicGetTicker24hr(): Promise<unknown>;
  publicGetTickerBookTicker(): Promise<unknown>;
  dapiPublicGetTickerBookTicker(): Promise<unknown>;
}

/** ccxt prices fapi's all-symbol 24hr ticker at 40 weight (its cost table). */
const FAPI_TICKER_COST = 40;

describe('venue rate limits: one budget per binance host (real ccxt against the replay)', () => {
  let server: ReplayServer;
  beforeAll(async () => {
    server = await startReplayServer({ clock: () => NOW });
  });
  afterAll(async () => server.close());

  const sent = (path: string) => server.stats().byPath[path] ?? 0;

  it('spends the whole fapi budget at once, then holds fapi alone: spot and dapi requests sent later still go out', async () => {
    const exchange = createExchange('binance', { baseUrl: server.url });
    const binance = exchange as Exchange & BinanceEndpoints;
    const fitting = Math.floor(windowBudget('binance', 'fapi')! / FAPI_TICKER_COST);
    server.resetStats();

    // A burst well past ccxt's default single-request bucket: every one reaches the venue.
    await Promise.all(Array.from({ length: fitting }, () => binance.fapiPublicGetTicker24hr()));
    expect(sent('fapi.binance.com/fapi/v1/ticker/24hr')).toBe(fitting);

    // The next one is over the per-minute budget: the limiter holds it.
    let heldAnswered = false;
    void binance.fapiPublicGetTicker24hr().then(() => {
      heldAnswered = true;
    });
    // Queued after it, on other hosts: with one shared limiter these would wait behind it.
    await binance.publicGetTickerBookTicker();
    await binance.dapiPublicGetTickerBookTicker();

    expect(sent('api.binance.com/api/v3/ticker/bookTicker')).toBe(1);
    expect(sent('dapi.binance.com/dapi/v1/ticker/bookTicker')).toBe(1);
    expect(sent('fapi.binance.com/fapi/v1/ticker/24hr')).toBe(fitting);
    expect(heldAnswered).toBe(false);
  });

  it('turns limiting off only when asked (enableRateLimit false): nothing is held', async () => {
    const exchange = createExchange('binance', { baseUrl: server.url, limiter: 'off' });
    const binance = exchange as Exchange & BinanceEndpoints;
    const beyond = Math.floor(windowBudget('binance', 'fapi')! / FAPI_TICKER_COST) + 2;
    server.resetStats();
    await Promise.all(Array.from({ length: beyond }, () => binance.fapiPublicGetTicker24hr()));
    expect(exchange.enableRateLimit).toBe(false);
    expect(sent('fapi.binance.com/fapi/v1/ticker/24hr')).toBe(beyond);
  });
});
