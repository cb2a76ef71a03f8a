import { describe, expect, it } from 'vitest';
import { isFridayExpiryTime } from '../../../src/market/replay/calendar.js';
import snapshotJson from '../../../src/market/replay/snapshot.json' with { type: 'json' };
import {
  buildUniverse,
  interpolateBasis,
  loadBundledUniverse,
  type MarketSnapshot,
} from '../../../src/market/replay/universe-builder.js';
import type { ReplayInstrument, ReplayUniverse } from '../../../src/market/replay/universe.js';

const FIXED_NOW = Date.UTC(2026, 10, 25, 12);
const DAY = 86_400_000;
const snapshot = snapshotJson as unknown as MarketSnapshot;
const universeAt = loadBundledUniverse();

const mid = (instrument: ReplayInstrument): number => (instrument.bid + instrument.ask) / 2;
const find = (universe: ReplayUniverse, filter: Partial<ReplayInstrument>): ReplayInstrument[] =>
  universe.instruments.filter((instrument) =>
    Object.entries(filter).every(([key, value]) => instrument[key as keyof ReplayInstrument] === value),
  );
const spotOf = (universe: ReplayUniverse, venue: string, asset: string): ReplayInstrument => {
  const [spot] = find(universe, { venue: venue as ReplayInstrument['venue'], asset, kind: 'spot' });
  expect(spot, `${venue} ${asset} spot`).toBeDefined();
  return spot;
};
const annualizedFromPrices = (future: ReplayInstrument, spot: ReplayInstrument, now: number): number => {
  const days = (future.expiry! - now) / DAY;
  return ((mid(future) / mid(spot) - 1) * 365) / days;
};

describe.each([
  ['a fixed clock', FIXED_NOW],
  ['the real clock', Date.now()],
  ['a year after the fixed clock', FIXED_NOW + 365 * DAY],
])('the bundled universe at %s', (_label, now) => {
  const universe = universeAt(now);

  it('lists only live futures expiring on a Friday at 08:00 UTC', () => {
    const futures = find(universe, { kind: 'future' });
    expect(futures.length).toBeGreaterThan(40);
    for (const future of futures) {
      expect(future.expiry! - now).toBeGreaterThan(0);
      expect(isFridayExpiryTime(future.expiry!)).toBe(true);
    }
  });

  it('covers BTC, ETH, SOL on every venue and XRP, DOGE as spot + linear perps on binance, okx, bybit', () => {
    for (const venue of ['binance', 'okx', 'bybit', 'deribit'] as const) {
      for (const asset of ['BTC', 'ETH', 'SOL']) {
        expect(find(universe, { venue, asset, kind: 'spot' })).toHaveLength(1);
        expect(find(universe, { venue, asset, kind: 'perp' }).length).toBeGreaterThan(0);
      }
    }
    for (const venue of ['binance', 'okx', 'bybit'] as const) {
      for (const asset of ['XRP', 'DOGE']) {
        expect(find(universe, { venue, asset, kind: 'spot' })).toHaveLength(1);
        expect(find(universe, { venue, asset, kind: 'perp', margin: 'linear', quote: 'USDT' })).toHaveLength(1);
      }
    }
  });

  it('prices SOL in backwardation with negative funding everywhere', () => {
    const solFutures = find(universe, { asset: 'SOL', kind: 'future' });
    expect(solFutures.length).toBeGreaterThan(0);
    for (const future of solFutures) {
      const annualized = annualizedFromPrices(future, spotOf(universe, future.venue, 'SOL'), now);
      expect(future.ask).toBeLessThan(spotOf(universe, future.venue, 'SOL').bid);
      expect(annualized).toBeLessThan(-0.07);
      expect(annualized).toBeGreaterThan(-0.16);
    }
    for (const perp of find(universe, { asset: 'SOL', kind: 'perp' })) expect(perp.fundingRate).toBeLessThan(0);
  });

  it('gives ETH futures on both sides of spot', () => {
    const sides = find(universe, { asset: 'ETH', kind: 'future' }).map((future) =>
      Math.sign(mid(future) - mid(spotOf(universe, future.venue, 'ETH'))),
    );
    expect(sides).toContain(-1);
    expect(sides).toContain(1);
  });

  it('prices BTC futures at the snapshot basis: F = S × (1 + annualized × days / 365)', () => {
    const btcFutures = find(universe, { asset: 'BTC', kind: 'future' });
    for (const future of btcFutures) {
      const settings = snapshot.venues[future.venue]!.assets.BTC;
      const days = (future.expiry! - now) / DAY;
      const expected = interpolateBasis(snapshot.assets.BTC.basisCurve!, days) + settings.basisShift;
      // Bid/ask sit on the tick grid, so the recomputed basis is off by at most a tick's worth.
      const tolerance = ((future.tickSize / mid(future)) * 365) / days;
      expect(Math.abs(annualizedFromPrices(future, spotOf(universe, future.venue, 'BTC'), now) - expected)).toBeLessThanOrEqual(tolerance);
      expect(expected).toBeGreaterThan(0.04);
      expect(expected).toBeLessThan(0.1);
    }
  });

  it('gives perps funding with an upcoming settlement, and nothing else funding', () => {
    for (const instrument of universe.instruments) {
      if (instrument.kind !== 'perp') {
        expect(instrument.fundingRate).toBeUndefined();
        continue;
      }
      const intervalMs = instrument.fundingIntervalHours! * 3_600_000;
      expect(instrument.nextFundingTime! - now).toBeGreaterThan(0);
      expect(instrument.nextFundingTime! - now).toBeLessThanOrEqual(intervalMs);
      expect(instrument.nextFundingTime! % intervalMs).toBe(0);
    }
  });

  it('stamps quotes shortly before now', () => {
    for (const instrument of universe.instruments) {
      expect(now - instrument.timestamp).toBeGreaterThan(0);
      expect(now - instrument.timestamp).toBeLessThan(2_000);
      expect(instrument.ask).toBeGreaterThan(instrument.bid);
    }
  });
});

describe('buildUniverse', () => {
  it('is deterministic for a given clock', () => {
    expect(buildUniverse(snapshot, FIXED_NOW)).toEqual(buildUniverse(snapshot, FIXED_NOW));
  });

  it('shows interval normalisation: binance SOL funds every 4h on USDⓈ-M, 8h on COIN-M, at the same annual rate', () => {
    const universe = buildUniverse(snapshot, FIXED_NOW);
    const [linear] = find(universe, { venue: 'binance', asset: 'SOL', kind: 'perp', margin: 'linear' });
    const [inverse] = find(universe, { venue: 'binance', asset: 'SOL', kind: 'perp', margin: 'inverse' });
    expect(linear.fundingIntervalHours).toBe(4);
    expect(inverse.fundingIntervalHours).toBe(8);
    expect(linear.fundingRate! / 4).toBeCloseTo(inverse.fundingRate! / 8, 12);
  });

  it('has one XRP/DOGE funding extreme on each side', () => {
    const universe = buildUniverse(snapshot, FIXED_NOW);
    const perps = find(universe, { kind: 'perp' });
    const ratePer8h = (p: ReplayInstrument): number => (p.fundingRate! * 8) / p.fundingIntervalHours!;
    const highest = perps.reduce((best, p) => (ratePer8h(p) > ratePer8h(best) ? p : best));
    const lowest = perps.reduce((best, p) => (ratePer8h(p) < ratePer8h(best) ? p : best));
    expect(highest.asset).toBe('XRP');
    expect(lowest.asset).toBe('DOGE');
  });

  it('uses the venues contract sizes', () => {
    const universe = buildUniverse(snapshot, FIXED_NOW);
    const size = (filter: Partial<ReplayInstrument>): number[] => [...new Set(find(universe, filter).map((i) => i.contractSize))];
    expect(size({ venue: 'binance', asset: 'BTC', margin: 'inverse' })).toEqual([100]);
    expect(size({ venue: 'binance', asset: 'ETH', margin: 'inverse' })).toEqual([10]);
    expect(size({ venue: 'okx', asset: 'BTC', kind: 'perp', margin: 'linear' })).toEqual([0.01]);
    expect(size({ venue: 'deribit', asset: 'BTC', kind: 'future' })).toEqual([10]);
    expect(size({ venue: 'deribit', asset: 'ETH', kind: 'future' })).toEqual([1]);
  });

  it('interpolates linearly between nodes and flat beyond the ends', () => {
    const curve = [
      { days: 10, annualized: 0.02 },
      { days: 30, annualized: 0.06 },
    ];
    expect(interpolateBasis(curve, 20)).toBeCloseTo(0.04, 12);
    expect(interpolateBasis(curve, 1)).toBe(0.02);
    expect(interpolateBasis(curve, 400)).toBe(0.06);
  });

  it('rejects a listing whose asset the venue has no settings for', () => {
    const broken = structuredClone(snapshot);
    broken.venues.deribit!.listings.push({ kind: 'spot', margin: 'linear', quote: 'USDC', assets: ['XRP'] });
    expect(() => buildUniverse(broken, FIXED_NOW)).toThrow(/deribit lists XRP/);
  });
});
