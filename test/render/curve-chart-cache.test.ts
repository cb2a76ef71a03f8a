/**
 * /curve draws its PNG once per quote refresh. Draws are counted through the drawing
 * function the app's services hold (replaced here by a counting one), never by timing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CALLER } from '../../src/adapters/console/session.js';
import type { CurveChartInput } from '../../src/core/services.js';
import { ChartCache, curveChartKey } from '../../src/render/curve-chart-cache.js';
import type { CurveSet, VenueCurve } from '../../src/market/types.js';
import { movableClock } from '../helpers/movable-clock.js';
import { startReplayApp, type ReplayApp } from '../helpers/replay-app.js';

const png = (text: string): Buffer => Buffer.from(text);

describe('ChartCache', () => {
  it('draws once per key, shares a draw in progress, and keeps at most its capacity (least recently used goes)', async () => {
    const cache = new ChartCache(2);
    const draws: string[] = [];
    const draw = (key: string) => async () => {
      draws.push(key);
      return png(key);
    };
    const [a1, a2] = await Promise.all([cache.get('a', draw('a')), cache.get('a', draw('a'))]);
    expect(a1.toString()).toBe('a');
    expect(a2).toBe(a1);
    await cache.get('b', draw('b'));
    await cache.get('a', draw('a')); // a is now the most recently used
    await cache.get('c', draw('c')); // so b goes
    expect(cache.size).toBe(2);
    await cache.get('a', draw('a'));
    await cache.get('b', draw('b'));
    expect(draws).toEqual(['a', 'b', 'c', 'b']);
  });

  it('does not keep a failed draw', async () => {
    const cache = new ChartCache();
    await expect(cache.get('k', () => Promise.reject(new Error('canvas broke')))).rejects.toThrow('canvas broke');
    await Promise.resolve();
    expect((await cache.get('k', async () => png('ok'))).toString()).toBe('ok');
  });
});

describe('curveChartKey', () => {
  const leg = { symbol: 'BTC/USDT', price: 65_000, priceSource: 'mid' as const, timestamp: '2026-12-02T04:00:00.000Z', ageMs: 10, stale: false };
  const curve: VenueCurve = {
    venue: 'okx',
    asset: 'BTC',
    asOf: '2026-12-02T04:00:01.000Z',
    spot: leg,
    perp: { ...leg, symbol: 'BTC/USDT:USDT', funding: { rate: 0.0001, intervalHours: 8, annualizedRate: 0.1095, ratePer8h: 0.0001, nextFundingTime: null }, premiumRate: 0 },
    futures: [{ ...leg, symbol: 'BTC/USDT:USDT-261225', expiry: '2026-12-25T08:00:00.000Z', daysToExpiry: 23.1, margin: 'linear', basis: 100, basisRate: 0.0015, annualizedRate: 0.024 }],
    state: 'contango',
    stale: false,
  };
  const set: CurveSet = { asset: 'BTC', asOf: curve.asOf, curves: [curve], failures: [], notListed: [] };
  const key = curveChartKey({ set });

  it('ignores what moves with the clock alone: asOf, quote ages, days to expiry', () => {
    const later = {
      ...set,
      asOf: '2026-12-02T04:00:03.000Z',
      curves: [{ ...curve, asOf: '2026-12-02T04:00:03.000Z', spot: { ...leg, ageMs: 2_010 }, futures: [{ ...curve.futures[0], daysToExpiry: 23.09, annualizedRate: 0.0241 }] }],
    };
    expect(curveChartKey({ set: later })).toBe(key);
  });

  it('changes with a refreshed quote, the funding, the venue option and the overlay', () => {
    expect(curveChartKey({ set: { ...set, curves: [{ ...curve, spot: { ...leg, timestamp: '2026-12-02T04:00:05.000Z' } }] } })).not.toBe(key);
    expect(curveChartKey({ set: { ...set, curves: [{ ...curve, futures: [{ ...curve.futures[0], price: 65_101 }] }] } })).not.toBe(key);
    expect(curveChartKey({ set: { ...set, curves: [{ ...curve, perp: { ...curve.perp!, funding: { ...curve.perp!.funding!, rate: 0.0002 } } }] } })).not.toBe(key);
    expect(curveChartKey({ set, venue: 'okx' })).not.toBe(key);
    expect(curveChartKey({ set, overlay: { label: '7d ago', series: [] } })).not.toBe(key);
  });
});

describe('/curve through the dispatcher', () => {
  const START = Date.parse('2026-12-02T04:00:00Z');
  const clock = movableClock(START);
  let replay: ReplayApp;
  const drawn: CurveChartInput[] = [];

  beforeAll(async () => {
    replay = await startReplayApp({ server: { clock: clock.now }, env: { QUOTE_TTL_MS: '60000' } });
    const realDraw = replay.app.services.renderCurveChart;
    // The observable seam: the drawer the command reaches through its services.
    replay.app.services.renderCurveChart = (input) => {
      drawn.push(input);
      return realDraw(input);
    };
  });
  afterAll(async () => replay?.close());

  const curvePng = async (line: string): Promise<Buffer> => {
    const result = (await replay.app.dispatcher.handleText(line, CONSOLE_CALLER))!;
    expect(result.ok).toBe(true);
    return result.reply.image!.png;
  };

  it('draws once for two calls on the same quotes and again after the quotes refresh', async () => {
    const first = await curvePng('/curve BTC');
    const second = await curvePng('/curve BTC');
    expect(drawn).toHaveLength(1);
    expect(second).toBe(first);
    expect(first.subarray(1, 4).toString()).toBe('PNG');

    await curvePng('/curve BTC okx'); // another option is another chart
    expect(drawn).toHaveLength(2);

    // Past the quote TTL and any serve-stale grace period: the next call fetches new quotes.
    clock.set(START + 600_000);
    const refreshed = await curvePng('/curve BTC');
    expect(drawn).toHaveLength(3);
    expect(refreshed).not.toBe(first);
    expect(drawn[2].asOf > drawn[0].asOf).toBe(true);
  }, 60_000);
});
