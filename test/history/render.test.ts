import { describe, expect, it } from 'vitest';
import { compareCarry } from '../../src/basis/carry.js';
import type { VenueHistory } from '../../src/market/history-service.js';
import type { VenueCurve } from '../../src/market/types.js';
import { carrySummary } from '../../src/render/carry.js';
import { fundingStreak, historyView, meaning } from '../../src/render/history.js';

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
    expect(meaning(view, '30d', 'BTC')).toBe('There is no 30-day basis to rank today.');
  });
});

describe('meaning', () => {
  const base = historyView(history, undefined, '2026-12-01');
  const at = (percentile: number, annualized: number, funding: { series?: number[]; today?: number } = {}) =>
    meaning(
      {
        ...base,
        today: { targetDays: 30, annualized, method: 'exact', from: [] },
        percentile,
        fundingSeries: (funding.series ?? []).map((value, index) => ({ date: `2026-11-${String(index + 1).padStart(2, '0')}`, value })),
        fundingToday: funding.today,
      },
      '90d',
      'SOL',
    );

  it('contango: the top of the range is where cash-and-carry locks in the most', () => {
    expect(at(100, 0.08)).toBe("SOL's contango is the steepest in 90d: cash-and-carry (long spot, short the future) locks in more than on any day of the window.");
    expect(at(85, 0.08)).toBe("SOL's contango is steeper than on most days of the last 90d: cash-and-carry (long spot, short the future) locks in more than on most days.");
    expect(at(50, 0.08)).toBe("SOL's contango is in the middle of its 90d range: nothing unusual for cash-and-carry (long spot, short the future).");
    expect(at(10, 0.08)).toMatch(/flatter than on most days .*: cash-and-carry .* locks in less than on most days\.$/);
  });

  it('backwardation: the bottom of the range is where reverse cash-and-carry locks in the most (the sign flips the rank)', () => {
    expect(at(0, -0.08)).toBe("SOL's backwardation is the deepest in 90d: reverse cash-and-carry (short spot, long the future) locks in more than on any day of the window.");
    expect(at(10, -0.08)).toMatch(/^SOL's backwardation is deeper than on most days of the last 90d: reverse cash-and-carry .* locks in more than on most days\.$/);
    expect(at(90, -0.08)).toMatch(/^SOL's backwardation is shallower than on most days .* locks in less than on most days\.$/);
  });

  it('names how long funding has kept its sign, and a squeeze that is getting older', () => {
    // Ten closed days negative after a positive one, and negative today: 11 days.
    const negative = { series: [0.05, ...Array(10).fill(-0.2)], today: -0.3 };
    expect(at(0, -0.12, negative)).toBe(
      "SOL's backwardation is the deepest in 90d, while funding has been negative for 11 days: a squeeze that is getting older, and reverse cash-and-carry (short spot, long the future) locks in more than on any day of the window.",
    );
    expect(at(5, -0.12, { series: [0.1, 0.1, -0.2], today: -0.1 })).toMatch(/while funding has been negative for 2 days: shorts are crowding in, and reverse/);
    // Funding against the shape is named but is no crowd; a middle level has no verdict on crowding.
    expect(at(0, -0.12, { series: [-0.1, 0.1, 0.1], today: 0.1 })).toMatch(/while funding has been positive for 3 days: reverse cash-and-carry/);
    expect(at(50, -0.12, negative)).toMatch(/in the middle of its 90d range, while funding has been negative for 11 days: nothing unusual/);
    // A streak that fills the whole window began before it: "throughout", not a count of days.
    expect(at(95, 0.2, { series: [-0.1, ...Array(8).fill(0.3)], today: 0.3 })).toMatch(/positive for 9 days: leveraged longs have been paying up for a while, and cash-and-carry/);
    expect(at(0, -0.12, { series: Array(90).fill(-0.2), today: -0.3 })).toMatch(/^SOL's backwardation is the deepest in 90d, while funding has been negative throughout the 90d: a squeeze that is getting older/);
  });

  it('fundingStreak counts back from today, closed days included, and stops at the first change of sign', () => {
    expect(fundingStreak({ fundingSeries: [], fundingToday: undefined })).toBeUndefined();
    expect(fundingStreak({ fundingSeries: [{ date: 'a', value: -1 }, { date: 'b', value: 1 }], fundingToday: 2 })).toEqual({ sign: 'positive', days: 2, wholeWindow: false });
    expect(fundingStreak({ fundingSeries: [{ date: 'a', value: -1 }, { date: 'b', value: -1 }], fundingToday: undefined })).toEqual({ sign: 'negative', days: 2, wholeWindow: true });
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
    expect(carrySummary([{ venue: 'okx', symbol: 'F', comparison: perp }])).toMatch(/rolling the perp pays more than any future; the closest is F on okx, 5\.00%\/yr behind\./);
    expect(carrySummary([])).toMatch(/No dated future/);
  });
});
