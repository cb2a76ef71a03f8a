import { describe, expect, it } from 'vitest';
import {
  isFridayExpiryTime,
  lastFridayOfMonth,
  listedExpiries,
  monthlyExpiries,
  nextFundingTime,
  quarterlyExpiries,
  weeklyExpiries,
} from '../../../src/market/replay/calendar.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const HOUR = 3_600_000;

describe('lastFridayOfMonth', () => {
  it('finds the last Friday at 08:00 UTC, including months ending on a Friday and leap Februaries', () => {
    expect(iso(lastFridayOfMonth(2026, 11))).toBe('2026-12-25T08:00:00.000Z');
    expect(iso(lastFridayOfMonth(2026, 2))).toBe('2026-03-27T08:00:00.000Z');
    expect(iso(lastFridayOfMonth(2026, 6))).toBe('2026-07-31T08:00:00.000Z'); // the 31st is a Friday
    expect(iso(lastFridayOfMonth(2028, 1))).toBe('2028-02-25T08:00:00.000Z'); // leap year: Feb 29 is a Tuesday
  });

  it('accepts months past December as the following year', () => {
    expect(lastFridayOfMonth(2026, 12)).toBe(lastFridayOfMonth(2027, 0));
  });
});

describe('weeklyExpiries', () => {
  it('starts at this Friday when it is still ahead', () => {
    const wednesday = Date.UTC(2026, 10, 25, 12);
    expect(weeklyExpiries(wednesday, 2).map(iso)).toEqual(['2026-11-27T08:00:00.000Z', '2026-12-04T08:00:00.000Z']);
  });

  it('keeps this Friday until an hour before expiry, then rolls to the next', () => {
    const friday = Date.UTC(2026, 10, 27);
    expect(iso(weeklyExpiries(friday + 6 * HOUR, 1)[0])).toBe('2026-11-27T08:00:00.000Z');
    expect(iso(weeklyExpiries(friday + 7.5 * HOUR, 1)[0])).toBe('2026-12-04T08:00:00.000Z');
    expect(iso(weeklyExpiries(friday + 9 * HOUR, 1)[0])).toBe('2026-12-04T08:00:00.000Z');
  });
});

describe('monthlyExpiries and quarterlyExpiries', () => {
  it('skip the current month once its last Friday is under an hour away', () => {
    const justBefore = Date.UTC(2026, 11, 25, 7, 30);
    expect(monthlyExpiries(justBefore, 2).map(iso)).toEqual(['2027-01-29T08:00:00.000Z', '2027-02-26T08:00:00.000Z']);
    expect(iso(quarterlyExpiries(justBefore, 1)[0])).toBe('2027-03-26T08:00:00.000Z');
  });

  it('list only March, June, September and December as quarters', () => {
    const quarters = quarterlyExpiries(Date.UTC(2026, 0, 10), 5);
    expect(quarters.map((ms) => new Date(ms).getUTCMonth())).toEqual([2, 5, 8, 11, 2]);
  });
});

describe('listedExpiries', () => {
  it('gives later rules dates that earlier rules did not take (okx quarter after its weeklies)', () => {
    // Two weeks before a quarterly expiry the quarter is also the next-week contract.
    const now = Date.UTC(2026, 11, 14, 12);
    const expiries = listedExpiries(now, [
      { rule: 'weekly', count: 2 },
      { rule: 'quarterly', count: 2 },
    ]);
    expect(expiries.map(iso)).toEqual([
      '2026-12-18T08:00:00.000Z',
      '2026-12-25T08:00:00.000Z',
      '2027-03-26T08:00:00.000Z',
      '2027-06-25T08:00:00.000Z',
    ]);
  });

  it('returns sorted, distinct, live Friday 08:00 expiries at any clock', () => {
    for (let day = 0; day < 400; day += 1) {
      const now = Date.UTC(2026, 0, 1) + day * 24 * HOUR + (day % 24) * HOUR;
      const expiries = listedExpiries(now, [
        { rule: 'weekly', count: 2 },
        { rule: 'monthly', count: 2 },
        { rule: 'quarterly', count: 3 },
      ]);
      expect(expiries).toHaveLength(7);
      expect(new Set(expiries).size).toBe(7);
      expect([...expiries].sort((a, b) => a - b)).toEqual(expiries);
      for (const expiry of expiries) {
        expect(isFridayExpiryTime(expiry)).toBe(true);
        expect(expiry - now).toBeGreaterThanOrEqual(HOUR);
      }
    }
  });
});

describe('nextFundingTime', () => {
  it('is the next multiple of the interval counted from 00:00 UTC, strictly after now', () => {
    expect(iso(nextFundingTime(Date.UTC(2026, 10, 25, 12), 8))).toBe('2026-11-25T16:00:00.000Z');
    expect(iso(nextFundingTime(Date.UTC(2026, 10, 25, 16), 8))).toBe('2026-11-26T00:00:00.000Z');
    expect(iso(nextFundingTime(Date.UTC(2026, 10, 25, 13, 5), 4))).toBe('2026-11-25T16:00:00.000Z');
    expect(iso(nextFundingTime(Date.UTC(2026, 10, 25, 13, 5), 1))).toBe('2026-11-25T14:00:00.000Z');
  });
});

describe('isFridayExpiryTime', () => {
  it('rejects other days and other hours', () => {
    expect(isFridayExpiryTime(Date.UTC(2026, 10, 27, 8))).toBe(true);
    expect(isFridayExpiryTime(Date.UTC(2026, 10, 27, 9))).toBe(false);
    expect(isFridayExpiryTime(Date.UTC(2026, 10, 26, 8))).toBe(false);
  });
});
