import { describe, expect, it } from 'vitest';
import { latestSlotIn, nextSlotAfter, nextSlots } from '../../src/digests/cron-time.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('next runs in a zone (node-cron matcher, injected now)', () => {
  it('08:00 in Tokyo, New York and UTC from the same instant', () => {
    const from = Date.parse('2026-12-01T10:00:00Z');
    expect(iso(nextSlotAfter('0 8 * * *', 'Asia/Tokyo', from))).toBe('2026-12-01T23:00:00.000Z');
    expect(iso(nextSlotAfter('0 8 * * *', 'America/New_York', from))).toBe('2026-12-01T13:00:00.000Z');
    expect(iso(nextSlotAfter('0 8 * * *', 'UTC', from))).toBe('2026-12-02T08:00:00.000Z');
  });

  it('is strictly after: a slot exactly at `from` is not next', () => {
    expect(iso(nextSlotAfter('0 8 * * *', 'UTC', Date.parse('2026-12-02T08:00:00Z')))).toBe('2026-12-03T08:00:00.000Z');
  });

  it('keeps 08:00 Berlin across the spring-forward of Sunday 28 March 2027: 07:00 UTC, then 06:00 UTC', () => {
    const runs = nextSlots('0 8 * * *', 'Europe/Berlin', Date.parse('2027-03-26T12:00:00Z'), 3).map(iso);
    expect(runs).toEqual(['2027-03-27T07:00:00.000Z', '2027-03-28T06:00:00.000Z', '2027-03-29T06:00:00.000Z']);
  });

  it('a weekday cron skips the weekend', () => {
    const runs = nextSlots('30 7 * * 1-5', 'UTC', Date.parse('2026-12-04T12:00:00Z'), 2).map(iso); // Friday
    expect(runs).toEqual(['2026-12-07T07:30:00.000Z', '2026-12-08T07:30:00.000Z']);
  });
});

describe('latestSlotIn', () => {
  const hourly = '0 * * * *';
  it('finds the latest slot after the last handled one, or none', () => {
    const after = Date.parse('2026-12-01T08:00:00Z');
    expect(iso(latestSlotIn(hourly, 'UTC', after, Date.parse('2026-12-01T11:30:00Z'))!)).toBe('2026-12-01T11:00:00.000Z');
    expect(latestSlotIn(hourly, 'UTC', after, Date.parse('2026-12-01T08:59:59Z'))).toBeUndefined();
    expect(iso(latestSlotIn(hourly, 'UTC', after, Date.parse('2026-12-01T09:00:00Z'))!)).toBe('2026-12-01T09:00:00.000Z');
  });

  it('does not walk further back than the lookback', () => {
    const at = Date.parse('2026-12-01T08:30:00Z');
    expect(latestSlotIn('0 8 1 1 *', 'UTC', 0, at)).toBeUndefined();
    expect(iso(latestSlotIn('0 8 * * *', 'UTC', 0, at)!)).toBe('2026-12-01T08:00:00.000Z');
  });
});
