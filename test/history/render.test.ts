import { describe, expect, it } from 'vitest';
import { compareCarry } from '../../src/basis/carry.js';
import type { VenueHistory } from '../../src/market/history-service.js';
import type { VenueCurve } from '../../src/market/types.js';
import { carrySummary } from '../../src/render/carry.js';
import { historyView, meaning } from '../../src/render/history.js';

/** The words of /history and /carry from hand-made numbers: no venue, no clock. */

const history: VenueHistory = {
  venue: 'okx',
  spot: 'BTC/USDT',
  perp: 'BTC/USDT:USDT',
  contracts: ['BTC/USDT:USDT-261225'],
  notes: [],
  days: [
    { date: '2026-11-27', cm: { targetDays: 30, annualized: 0.04, method: 'interpolated', from: [] }, fundingAnnualized: 0.1 },
    { date: '2026-11-28', cm: { targetDays: 30, annualized: 0.09, method: 'nearest', from: [] }, fundingAnnualized: 0.2 },
    { date: '2026-11-29', cm: { targetDays: 30, annualized: 0.05, method: 'interpolated', from: [] } },
    { date: '2026-11-30', cm: { targetDays: 30, annualized: 0.06, method: 'interpolated', from: [] }, fundingAnnualized: 0.3 },
  ],
};

function curveWith(futures: { daysToExpiry: number; annualizedRate: number }[]): VenueCurve {
  return {
    venue: 'okx',
    perp: { funding: { annualizedRate: 0.11 } },
    futures: futures.map((future, index) => ({ ...future, symbol: `F${index}` })),
  } as unknown as VenueCurve;
}

describe('historyView', () => {
  it("ranks today's interpolated level in the window and dates the extremes", () => {
    // Today: 20 d at 5%, 40 d at 7% -> 6% at 30 d; window 4, 9, 5, 6: three at or below -> 75.
    const view = historyView(history, curveWith([{ daysToExpiry: 20, annualizedRate: 0.05 }, { daysToExpiry: 40, annualizedRate: 0.07 }]), '2026-12-01');
    expect(view.today?.annualized).toBeCloseTo(0.06, 12);
    expect(view.percentile).toBe(75);
    expect(view.highest).toEqual({ date: '2026-11-28', value: 0.09 });
    expect(view.lowest).toEqual({ date: '2026-11-27', value: 0.04 });
    expect(view.fundingMean).toBeCloseTo(0.2, 12);
    expect(view.fundingToday).toBe(0.11);
    expect(view.standIns).toBe(1);
  });

  it('today can set a new extreme, dated today', () => {
    const view = historyView(history, curveWith([{ daysToExpiry: 30, annualizedRate: 0.12 }]), '2026-12-01');
    expect(view.percentile).toBe(100);
    expect(view.highest).toEqual({ date: '2026-12-01', value: 0.12 });
    expect(view.today?.method).toBe('single-contract');
  });

  it('a venue with no dated futures has no level and says so', () => {
    const view = historyView(history, curveWith([]), '2026-12-01');
    expect(view.today).toBeUndefined();
    expect(meaning(view, '30d')).toBe('There is no 30-day basis to rank today.');
  });
});

describe('meaning', () => {
  const at = (percentile: number, annualized: number) => meaning({ ...historyView(history, undefined, '2026-12-01'), today: { targetDays: 30, annualized, method: 'exact', from: [] }, percentile }, '90d');
  it('top, middle and bottom of the range, naming the trade the sign implies', () => {
    expect(at(85, 0.08)).toMatch(/^The 30-day basis is near the top of its 90d range, so cash-and-carry/);
    expect(at(50, 0.08)).toMatch(/middle of its 90d range/);
    expect(at(10, -0.08)).toMatch(/near the bottom of its 90d range, so reverse cash-and-carry/);
  });
});

describe('carrySummary', () => {
  it('names the best lock and the funding the perp would need, or says the perp wins', () => {
    // 36.5 d, F/S = 1.01: 10%/yr locked against 5% funding.
    const lock = compareCarry({ spot: 100, future: 101, daysToExpiry: 36.5, fundingNow: 0.05 })!;
    expect(carrySummary([{ venue: 'okx', symbol: 'F', comparison: lock }])).toBe(
      'Best lock: F on okx, +5.00%/yr more than rolling the perp at today\'s funding (+0.500% of the notional by expiry); the perp would need funding above +10.00%/yr to match it.',
    );
    const perp = compareCarry({ spot: 100, future: 101, daysToExpiry: 36.5, fundingNow: 0.15 })!;
    expect(carrySummary([{ venue: 'okx', symbol: 'F', comparison: perp }])).toMatch(/rolling the perp pays more than any future; the closest is F on okx, \+5.00%\/yr behind/);
    expect(carrySummary([])).toMatch(/No dated future/);
  });
});
