import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../src/store/index.js';
import { SnapshotRecorder, type StoredAsset } from '../../src/market/snapshot-recorder.js';
import type { CurveSet, VenueCurve } from '../../src/market/types.js';
import { startHistoryApp, type HistoryApp } from './history-app.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 10, 15);

/** A store that counts writes, so "no write when nothing new" can fail. */
function memoryStore(): KeyValueStore<StoredAsset> & { writes: number; data: Map<string, StoredAsset> } {
  const data = new Map<string, StoredAsset>();
  return {
    data,
    writes: 0,
    async get(key) {
      return data.get(key) && structuredClone(data.get(key));
    },
    async set(key, value) {
      this.writes += 1;
      data.set(key, structuredClone(value));
    },
    async delete(key) {
      return data.delete(key);
    },
    async *entries() {
      yield* data.entries();
    },
  };
}

function set(at: number, venues: Record<string, number>): CurveSet {
  const curves = Object.entries(venues).map(([venue, rate]) => ({
    venue,
    asset: 'BTC',
    spot: { price: 100_000 },
    perp: { funding: { annualizedRate: rate / 2 } },
    futures: [{ symbol: 'BTC/USDT:USDT-261225', expiry: new Date(Date.UTC(2026, 11, 25, 8)).toISOString(), annualizedRate: rate }],
    stale: false,
  })) as unknown as VenueCurve[];
  return { asset: 'BTC', asOf: new Date(at).toISOString(), curves, failures: [], notListed: [] } as CurveSet;
}

describe('SnapshotRecorder', () => {
  it('keeps one curve per venue and hour, writing only when an hour gains a venue', async () => {
    let now = T0;
    const store = memoryStore();
    const recorder = new SnapshotRecorder({ store, now: () => now });
    await recorder.record(set(T0, { binance: 0.05 }));
    await recorder.record(set(T0 + 10 * 60_000, { binance: 0.09 }));
    expect(store.writes).toBe(1);
    await recorder.record(set(T0 + 20 * 60_000, { binance: 0.09, okx: 0.06 }));
    expect(store.writes).toBe(2);
    now = T0 + HOUR;
    await recorder.record(set(now, { binance: 0.07 }));
    const stored = store.data.get('BTC')!;
    expect(stored.hourly.map((s) => Object.keys(s.venues).sort())).toEqual([['binance', 'okx'], ['binance']]);
    // The hour keeps its first reading, as a compact tuple.
    expect(stored.hourly[0].venues.binance).toEqual([100000, 0.025, [['BTC/USDT:USDT-261225', Date.UTC(2026, 11, 25, 8), 0.05]]]);
    const [curve] = await recorder.nearest('btc', T0 + HOUR + 5 * 60_000);
    expect(curve).toMatchObject({ venue: 'binance', at: T0 + HOUR, fundingAnnualized: 0.035 });
    expect(curve.futures[0].daysToExpiry).toBeCloseTo((Date.UTC(2026, 11, 25, 8) - (T0 + HOUR)) / DAY, 12);
    expect(await recorder.nearest('BTC', T0 + 5 * HOUR)).toEqual([]);
  });

  it('compacts with age: hourly for 8 days, then the first of each day, nothing after 120 days', async () => {
    let now = T0;
    const store = memoryStore();
    const recorder = new SnapshotRecorder({ store, now: () => now });
    for (let hour = 0; hour < 48; hour += 1) {
      now = T0 + hour * HOUR;
      await recorder.record(set(now, hour === 30 ? { binance: 0.05, okx: 0.01 } : { binance: 0.05 + hour / 1000 }));
    }
    now = T0 + 10 * DAY;
    await recorder.record(set(now, { binance: 0.1 }));
    let stored = store.data.get('BTC')!;
    expect(stored.hourly).toHaveLength(1);
    // 48 hours from 10:15 span three UTC days; okx, first seen at hour 30, joins its day's snapshot.
    expect(stored.daily.map((s) => new Date(s.at).toISOString())).toEqual(['2026-11-01T10:15:00.000Z', '2026-11-02T00:15:00.000Z', '2026-11-03T00:15:00.000Z']);
    expect(Object.keys(stored.daily[1].venues).sort()).toEqual(['binance', 'okx']);
    expect(stored.daily[1].venues.binance![2][0][2]).toBeCloseTo(0.05 + 14 / 1000, 12);
    now = T0 + 122 * DAY;
    await recorder.record(set(now, { binance: 0.1 }));
    stored = store.data.get('BTC')!;
    expect(stored.daily.map((s) => s.at)).toEqual([T0 + 10 * DAY]);
  });

  it('recordFrom feeds every curves() call without changing its answer, and survives a failing store', async () => {
    const store = memoryStore();
    store.set = async () => {
      throw new Error('disk full');
    };
    const recorder = new SnapshotRecorder({ store, now: () => T0 });
    const answer = set(T0, { okx: 0.03 });
    const market = { curves: async () => answer };
    recorder.recordFrom(market);
    expect(await market.curves()).toBe(answer);
  });
});

describe('/curve overlay=7d through the replay', () => {
  let h: HistoryApp;
  beforeAll(async () => {
    h = await startHistoryApp();
  });
  afterAll(() => h.close());

  it('draws last week from daily closes when nothing was recorded, then from the recorded snapshot', async () => {
    const fromCloses = await h.ask('/curve BTC okx overlay=7d');
    expect(fromCloses?.ok).toBe(true);
    const data = fromCloses!.data as { overlay: { curves: { venue: string; source: string; at: number; futures: { daysToExpiry: number }[] }[] } };
    const [okx] = data.overlay.curves;
    expect(okx.source).toBe('daily closes');
    expect(Math.abs(okx.at - (h.app.now() - 7 * DAY))).toBeLessThanOrEqual(DAY / 2);
    // Contracts that have expired since were alive then: the past curve holds at least as many.
    const live = await h.app.services.market.curves('BTC', 'okx');
    expect(okx.futures.length).toBeGreaterThanOrEqual(live.curves[0].futures.length);
    expect(fromCloses!.reply.image!.png.subarray(1, 4).toString()).toBe('PNG');

    // A snapshot the bot recorded a week ago wins over the candles.
    const week = h.app.now() - 7 * DAY;
    await h.history.snapshots.record({ ...live, asOf: new Date(week).toISOString() });
    const recorded = await h.ask('/curve BTC okx overlay=7d');
    const [again] = (recorded!.data as typeof data).overlay.curves;
    expect(again.source).toBe('recorded');
    expect(again.at).toBe(Date.parse(new Date(week).toISOString()));
    expect(recorded!.reply.blocks.some((block) => 'text' in block && /Dashed: the curve 7d ago: okx .* \(recorded by the bot\)/.test(block.text))).toBe(true);
  });

  it('is not answered from cache alone with an overlay', async () => {
    await h.ask('/curve ETH okx');
    const curve = h.app.dispatcher.commands.find((command) => command.name === 'curve')!;
    const ctx = { services: h.app.services, now: h.app.now };
    expect(curve.isCached!({ asset: 'ETH', venue: 'okx' }, ctx)).toBe(true);
    expect(curve.isCached!({ asset: 'ETH', venue: 'okx', overlay: '7d' }, ctx)).toBe(false);
  });
});
