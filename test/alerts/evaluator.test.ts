import { describe, expect, it } from 'vitest';
import { RuleIndex } from '../../src/alerts/evaluator.js';
import { extractSeries } from '../../src/alerts/metrics.js';
import type { AlertRecord } from '../../src/alerts/types.js';
import type { CurveSet } from '../../src/market/types.js';
import { curveSet, DAY, NOW, rule, venueCurve } from './fixtures.js';

/** Runs ticks over a list of sets and returns, per tick, the venues that fired for the rule. */
function ticks(record: AlertRecord, sets: { set: CurveSet; at: number }[]): string[][] {
  const index = new RuleIndex();
  index.add(record);
  return sets.map(({ set, at }) => {
    const result = index.evaluate('SOL', set, at);
    if (result.expired.length) return ['expired'];
    return result.fired.flatMap((crossing) => crossing.points.map((p) => p.key));
  });
}

const minutes = (n: number) => NOW + n * 60_000;

describe('alert evaluation over curve sets', () => {
  it('an any-venue rule tracks each venue alone and names every venue that crossed on the same tick', () => {
    const r = rule({ metric: 'apr', direction: 'above', threshold: 0 });
    const at = (apr: [number, number, number]) =>
      curveSet([
        venueCurve('binance', { futures: [{ expiry: '2026-12-25', apr: apr[0] }] }),
        venueCurve('okx', { futures: [{ expiry: '2026-12-25', apr: apr[1] }] }),
        venueCurve('bybit', { futures: [{ expiry: '2026-12-25', apr: apr[2] }] }),
      ]);
    const fired = ticks(r, [
      { set: at([-0.1, -0.1, 0.05]), at: minutes(0) }, // first sight: bybit already above, no message
      { set: at([0.02, 0.03, 0.05]), at: minutes(1) }, // binance and okx cross together
      { set: at([0.02, 0.03, 0.05]), at: minutes(2) },
    ]);
    expect(fired).toEqual([[], ['binance', 'okx'], []]);
  });

  it('a venue rule ignores the others; the cooldown holds a second crossing until it ends', () => {
    const r = rule({ metric: 'apr', direction: 'above', threshold: 0, venue: 'okx', cooldownMs: 30 * 60_000 });
    const set = (apr: number) => curveSet([venueCurve('binance', { futures: [{ expiry: '2026-12-25', apr: 0.5 }] }), venueCurve('okx', { futures: [{ expiry: '2026-12-25', apr }] })]);
    expect(
      ticks(r, [
        { set: set(-0.05), at: minutes(0) },
        { set: set(0.01), at: minutes(1) },
        { set: set(-0.02), at: minutes(2) }, // re-armed by the band
        { set: set(0.01), at: minutes(10) }, // crossing inside the cooldown: held
        { set: set(0.01), at: minutes(31) }, // cooldown over, still above: sent now
      ]),
    ).toEqual([[], ['okx'], [], [], ['okx']]);
  });

  it('front rolls to the next contract when the nearest has under a day left; next rolls with it', () => {
    const futures = [
      { expiry: '2026-12-04', apr: -0.05 },
      { expiry: '2026-12-25', apr: 0.02 },
      { expiry: '2027-03-26', apr: 0.04 },
    ];
    const before = curveSet([venueCurve('okx', { futures })]);
    const later = NOW + 2.6 * DAY; // 2026-12-04 has 0.4 d left
    const after = curveSet([venueCurve('okx', { futures, now: later })], later);
    expect(extractSeries(before, 'apr', 'front')[0].contract).toBe('SOL/USD:SOL-261204');
    expect(extractSeries(after, 'apr', 'front')[0].contract).toBe('SOL/USD:SOL-261225');
    expect(extractSeries(before, 'apr', 'next')[0].contract).toBe('SOL/USD:SOL-261225');
    expect(extractSeries(after, 'apr', 'next')[0].contract).toBe('SOL/USD:SOL-270326');
    // The roll itself is a move of the front series: -5% → +2% crosses 0.
    expect(ticks(rule({ metric: 'apr', direction: 'above', threshold: 0 }), [{ set: before, at: NOW }, { set: after, at: later }])).toEqual([[], ['okx']]);
  });

  it('a rule on a dated contract retires at its expiry', () => {
    const r = rule({ metric: 'basis', direction: 'below', threshold: -0.01, tenor: '2026-12-04', band: 0.001 }, { expiresAt: Date.parse('2026-12-04T08:00:00Z') });
    const set = curveSet([venueCurve('okx', { futures: [{ expiry: '2026-12-04', apr: -0.05 }] })]);
    expect(ticks(r, [{ set, at: NOW }, { set, at: Date.parse('2026-12-04T07:59:00Z') }, { set, at: Date.parse('2026-12-04T08:00:00Z') }])).toEqual([[], [], ['expired']]);
    // basis keeps a dated contract to its last hours (not annualized, so no blow-up)
    const late = Date.parse('2026-12-04T02:00:00Z');
    expect(extractSeries(curveSet([venueCurve('okx', { futures: [{ expiry: '2026-12-04', apr: -0.05 }], now: late })], late), 'basis', '2026-12-04')).toHaveLength(1);
  });

  it('spread is the highest minus the lowest venue, one series for the asset', () => {
    const set = (okx: number) => curveSet([venueCurve('binance', { futures: [{ expiry: '2026-12-25', apr: 0.05 }] }), venueCurve('okx', { futures: [{ expiry: '2026-12-25', apr: okx }] }), venueCurve('bybit', {})]);
    const [point] = extractSeries(set(0.02), 'spread', 'front');
    expect(point.key).toBe('*');
    expect(point.value).toBeCloseTo(0.03);
    expect(point.contract).toContain('binance');
    const r = rule({ metric: 'spread', direction: 'above', threshold: 0.04 });
    expect(ticks(r, [{ set: set(0.02), at: minutes(0) }, { set: set(0.0), at: minutes(1) }])).toEqual([[], ['*']]);
    const perp = curveSet([venueCurve('binance', { funding: 0.1 }), venueCurve('okx', { funding: -0.05 })]);
    expect(extractSeries(perp, 'spread', 'perp')[0].value).toBeCloseTo(0.15);
  });

  it('state fires when a venue flips between contango and backwardation, through flat', () => {
    const set = (state: 'contango' | 'flat' | 'backwardation') => curveSet([venueCurve('binance', { state }), venueCurve('okx', { state: 'contango' })]);
    const r = rule({ metric: 'state', direction: undefined, threshold: undefined, tenor: undefined, band: 0 });
    expect(
      ticks(r, [
        { set: set('contango'), at: minutes(0) },
        { set: set('flat'), at: minutes(1) },
        { set: set('backwardation'), at: minutes(2) },
        { set: set('backwardation'), at: minutes(3) },
      ]),
    ).toEqual([[], [], ['binance'], []]);
  });

  it('a venue missing on a tick keeps its track; the series is computed once per tick for all rules', () => {
    const index = new RuleIndex();
    const rules = Array.from({ length: 3 }, (_, i) => rule({ metric: 'funding', direction: 'above', threshold: 0.1, tenor: 'perp' }, { id: i + 1 }));
    rules.forEach((r) => index.add(r));
    index.evaluate('SOL', curveSet([venueCurve('binance', { funding: 0.05 })]), minutes(0));
    expect(index.evaluate('SOL', curveSet([]), minutes(1)).fired).toEqual([]);
    const fired = index.evaluate('SOL', curveSet([venueCurve('binance', { funding: 0.2 })]), minutes(2)).fired;
    expect(fired.map((c) => c.rule.id)).toEqual([1, 2, 3]);
    expect(fired[0].points[0]).toBe(fired[1].points[0]);
  });

  it('a stale quote never fires a crossing: the venue waits for a fresh one', () => {
    const r = rule({ metric: 'funding', direction: 'above', threshold: 0.1, tenor: 'perp' });
    const stale = curveSet([venueCurve('binance', { funding: 0.5 })]);
    stale.curves[0].perp!.stale = true;
    stale.curves[0].stale = true;
    expect(
      ticks(r, [
        { set: curveSet([venueCurve('binance', { funding: 0.05 })]), at: minutes(0) },
        { set: stale, at: minutes(1) },
        { set: curveSet([venueCurve('binance', { funding: 0.5 })]), at: minutes(2) },
      ]),
    ).toEqual([[], [], ['binance']]);
  });
});
