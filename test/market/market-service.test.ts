import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UnknownAssetError } from '../../src/market/errors.js';
import { loadBundledUniverse } from '../../src/market/replay/universe-builder.js';
import type { ReplayInstrument } from '../../src/market/replay/universe.js';
import { SUPPORTED_VENUES } from '../../src/market/types.js';
import { startReplayApp, type ReplayApp } from '../helpers/replay-app.js';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const clock = () => NOW;
const universe = loadBundledUniverse()(NOW);
const mid = (instrument: ReplayInstrument) => (instrument.bid + instrument.ask) / 2;

describe('market service on real ccxt against the replay of all four venues', () => {
  let replay: ReplayApp;
  beforeAll(async () => {
    replay = await startReplayApp({ server: { clock }, env: { VENUE_TIMEOUT_MS: '1500', QUOTE_TTL_MS: '60000' } });
  });
  afterAll(async () => replay.close());
  afterEach(() => replay.server.clearFaults());

  it('answers BTC from every venue with basis maths that match the replay prices', async () => {
    const set = await replay.app.market.curves('btc');
    expect(set.failures).toEqual([]);
    expect(set.curves.map((curve) => curve.venue).sort()).toEqual([...SUPPORTED_VENUES].sort());
    for (const curve of set.curves) {
      const spot = universe.instruments.find((i) => i.venue === curve.venue && i.asset === 'BTC' && i.kind === 'spot' && i.quote === (curve.venue === 'deribit' ? 'USDC' : 'USDT'))!;
      expect(curve.spot.price).toBeCloseTo(mid(spot), 6);
      expect(curve.spot.priceSource).toBe('mid');
      expect(curve.futures.length).toBeGreaterThan(0);
      for (const future of curve.futures) {
        const expiry = Date.parse(future.expiry);
        const source = universe.instruments.find(
          (i) => i.venue === curve.venue && i.asset === 'BTC' && i.kind === 'future' && i.expiry === expiry && i.margin === future.margin,
        )!;
        expect(future.price).toBeCloseTo(mid(source), 6);
        const days = (expiry - NOW) / 86_400_000;
        expect(future.daysToExpiry).toBeCloseTo(days, 9);
        expect(future.basis).toBeCloseTo(mid(source) - mid(spot), 6);
        expect(future.basisRate).toBeCloseTo((mid(source) - mid(spot)) / mid(spot), 12);
        expect(future.annualizedRate).toBeCloseTo(((mid(source) - mid(spot)) / mid(spot)) * (365 / days), 10);
      }
      expect(curve.perp?.funding).not.toBeNull();
      const perp = universe.instruments.find((i) => i.venue === curve.venue && i.asset === 'BTC' && i.kind === 'perp' && i.margin === (curve.venue === 'deribit' ? 'inverse' : 'linear'))!;
      expect(curve.perp!.funding!.rate).toBeCloseTo(perp.fundingRate!, 12);
      expect(curve.perp!.funding!.annualizedRate).toBeCloseTo((perp.fundingRate! * 8760) / perp.fundingIntervalHours!, 10);
    }
    expect(set.curves.every((curve) => curve.state === 'contango')).toBe(true);
  });

  it('shows SOL in backwardation with negative funding, and ETH mixed', async () => {
    const sol = await replay.app.market.curves('SOL');
    const withFutures = sol.curves.filter((curve) => curve.futures.length > 0);
    expect(withFutures.length).toBeGreaterThan(0);
    expect(withFutures.every((curve) => curve.state === 'backwardation')).toBe(true);
    expect(sol.curves.every((curve) => (curve.perp?.funding?.rate ?? 0) < 0)).toBe(true);
    const eth = await replay.app.market.curves('ETH');
    expect(eth.curves.some((curve) => curve.state === 'mixed')).toBe(true);
  });

  it('names a venue that goes down after start-up and answers from the rest', async () => {
    let elapsed = 0;
    const movingClock = () => NOW + elapsed;
    const fresh = await startReplayApp({ server: { clock: movingClock }, env: { QUOTE_TTL_MS: '5000' } });
    try {
      await fresh.app.market.curves('XRP'); // markets loaded and quotes fetched once
      fresh.server.setFault('okx', { kind: 'down' });
      elapsed = 6_000; // past the quote TTL: okx must be asked again
      const set = await fresh.app.market.curves('XRP');
      expect(set.curves.map((curve) => curve.venue).sort()).toEqual(['binance', 'bybit']);
      expect(set.failures).toEqual([{ venue: 'okx', error: expect.stringMatching(/ExchangeNotAvailable/) }]);
      expect(set.notListed).toEqual(['deribit']);
    } finally {
      await fresh.close();
    }
  });

  for (const kind of ['hang', 'html', 'malformed', 'down'] as const) {
    it(`gives a partial answer naming the venue when it ${kind === 'hang' ? 'hangs' : `answers ${kind}`}`, async () => {
      const fresh = await startReplayApp({ server: { clock, faults: { bybit: { kind } } }, env: { VENUE_TIMEOUT_MS: '1500' } });
      try {
        const set = await fresh.app.market.curves('BTC');
        expect(set.curves.map((curve) => curve.venue).sort()).toEqual(['binance', 'deribit', 'okx']);
        expect(set.failures.map((failure) => failure.venue)).toEqual(['bybit']);
        expect(set.failures[0].error.length).toBeGreaterThan(5);
        if (kind === 'hang') expect(set.failures[0].error).toMatch(/no answer within 1\.5 s/);
      } finally {
        await fresh.close();
      }
    });
  }

  it('flags stale quotes', async () => {
    const fresh = await startReplayApp({ server: { clock, faults: { okx: { kind: 'stale', ageMs: 10 * 60_000 } } } });
    try {
      const set = await fresh.app.market.curves('BTC');
      const okx = set.curves.find((curve) => curve.venue === 'okx')!;
      expect(okx.stale).toBe(true);
      expect(okx.spot.ageMs).toBeGreaterThanOrEqual(10 * 60_000);
      expect(set.curves.find((curve) => curve.venue === 'binance')!.stale).toBe(false);
    } finally {
      await fresh.close();
    }
  });

  it('rejects an unknown asset with close matches', async () => {
    const error = await replay.app.market.curves('ETHH').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownAssetError);
    expect((error as UnknownAssetError).suggestions).toContain('ETH');
  });

  it('coalesces 500 concurrent identical queries into the requests of one', async () => {
    const fresh = await startReplayApp({ server: { clock } });
    try {
      await fresh.app.market.curves('BTC'); // markets loaded, cache warm
      await new Promise((resolve) => setTimeout(resolve, 0));
      const single = await startReplayApp({ server: { clock }, dataDir: fresh.dataDir });
      try {
        await single.app.market.curves('DOGE');
        single.server.resetStats();
        await single.app.market.curves('SOL', 'binance');
        const one = single.server.stats().total;
        const burst = await startReplayApp({ server: { clock }, dataDir: fresh.dataDir });
        try {
          await burst.app.market.curves('DOGE');
          burst.server.resetStats();
          const sets = await Promise.all(Array.from({ length: 500 }, () => burst.app.market.curves('SOL', 'binance')));
          expect(sets.every((set) => set.curves.length === 1)).toBe(true);
          expect(burst.server.stats().total).toBe(one);
        } finally {
          await burst.close();
        }
      } finally {
        await single.close();
      }
    } finally {
      await fresh.close();
    }
  });

  it('loads markets from the disk cache after a restart: no market request', async () => {
    const first = await startReplayApp({ server: { clock } });
    try {
      await first.app.market.curves('BTC');
      const marketRequests = Object.keys(first.server.stats().byPath).filter((p) => /exchangeInfo|instruments|get_instruments/.test(p));
      expect(marketRequests.length).toBeGreaterThan(0);
      const second = await startReplayApp({ server: { clock }, dataDir: first.dataDir });
      try {
        await second.app.market.curves('BTC');
        const again = Object.keys(second.server.stats().byPath).filter((p) => /exchangeInfo|instruments|get_currencies/.test(p));
        expect(again).toEqual([]);
        expect(second.app.market.status().venues.every((venue) => venue.marketsSource === 'cache')).toBe(true);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
    }
  });

  it('refreshes a day-old market list in the background while the old one keeps answering', async () => {
    let elapsed = 0;
    const movingClock = () => NOW + elapsed;
    const fresh = await startReplayApp({ server: { clock: movingClock }, env: { MARKETS_MAX_AGE_MS: '86400000' } });
    const marketRequests = () => Object.entries(fresh.server.stats().byPath).filter(([p]) => /exchangeInfo/.test(p)).reduce((n, [, c]) => n + c, 0);
    try {
      await fresh.app.market.curves('BTC', 'binance');
      expect(marketRequests()).toBe(3);
      elapsed = 86_400_000 + 1;
      const set = await fresh.app.market.curves('BTC', 'binance'); // answered from the old list at once
      expect(set.curves).toHaveLength(1);
      await vi.waitFor(() => expect(marketRequests()).toBe(6));
    } finally {
      await fresh.close();
    }
  });
});
