/**
 * Venue listing calendars, computed from a clock so the replay's dated futures always
 * sit in the future of whatever "now" the bot runs at. Every venue basisbot reads
 * expires its dated contracts on Fridays at 08:00 UTC; they differ only in which
 * Fridays they list (weekly, last of the month, last of the quarter).
 */

export const EXPIRY_HOUR_UTC = 8;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const FRIDAY = 5;

/**
 * A contract this close to expiry is not offered any more (venues stop quoting it and
 * the next one takes its place), so the calendars skip it.
 */
export const MIN_EXPIRY_LEAD_MS = HOUR_MS;

export type ExpiryRule = 'weekly' | 'monthly' | 'quarterly';

/** One rule of a venue's futures listing: e.g. the next 2 weekly Fridays. */
export interface ExpiryRuleCount {
  rule: ExpiryRule;
  count: number;
}

/** True for a Friday at exactly 08:00:00.000 UTC. */
export function isFridayExpiryTime(ms: number): boolean {
  const date = new Date(ms);
  return (
    date.getUTCDay() === FRIDAY &&
    date.getUTCHours() === EXPIRY_HOUR_UTC &&
    date.getUTCMinutes() === 0 &&
    date.getUTCSeconds() === 0 &&
    date.getUTCMilliseconds() === 0
  );
}

/** The last Friday of a month (0-based month, like Date) at 08:00 UTC. */
export function lastFridayOfMonth(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  const daysBack = (lastDay.getUTCDay() - FRIDAY + 7) % 7;
  return Date.UTC(year, month, lastDay.getUTCDate() - daysBack, EXPIRY_HOUR_UTC);
}

function isLiveAt(expiry: number, now: number): boolean {
  return expiry - now >= MIN_EXPIRY_LEAD_MS;
}

/** The next `count` Friday 08:00 UTC expiries that are still live at `now`. */
export function weeklyExpiries(now: number, count: number): number[] {
  const today = new Date(now);
  const daysToFriday = (FRIDAY - today.getUTCDay() + 7) % 7;
  let expiry = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + daysToFriday, EXPIRY_HOUR_UTC);
  if (!isLiveAt(expiry, now)) expiry += 7 * DAY_MS;
  return Array.from({ length: count }, (_, index) => expiry + index * 7 * DAY_MS);
}

/** Last-Friday-of-month expiries from the current month on, skipping those no longer live. */
function monthEndExpiries(now: number, count: number, accepts: (month: number) => boolean): number[] {
  const start = new Date(now);
  const result: number[] = [];
  for (let offset = 0; result.length < count; offset += 1) {
    const year = start.getUTCFullYear();
    const month = start.getUTCMonth() + offset;
    const normalisedMonth = ((month % 12) + 12) % 12;
    if (!accepts(normalisedMonth)) continue;
    const expiry = lastFridayOfMonth(year, month);
    if (isLiveAt(expiry, now)) result.push(expiry);
  }
  return result;
}

/** The next `count` monthly expiries (last Friday of each month). */
export function monthlyExpiries(now: number, count: number): number[] {
  return monthEndExpiries(now, count, () => true);
}

/** The next `count` quarterly expiries (last Friday of March, June, September, December). */
export function quarterlyExpiries(now: number, count: number): number[] {
  return monthEndExpiries(now, count, (month) => month % 3 === 2);
}

const RULES: Record<ExpiryRule, (now: number, count: number) => number[]> = {
  weekly: weeklyExpiries,
  monthly: monthlyExpiries,
  quarterly: quarterlyExpiries,
};

/**
 * A venue's whole futures calendar. Rules are applied in order and each takes `count`
 * dates not already listed by an earlier rule: okx's "quarter" is the first quarterly
 * after its two weeklies, never a duplicate of one of them.
 */
export function listedExpiries(now: number, schedule: ExpiryRuleCount[]): number[] {
  const listed = new Set<number>();
  for (const { rule, count } of schedule) {
    // Ask for enough candidates that `count` remain after removing dates already listed.
    const candidates = RULES[rule](now, count + listed.size);
    let taken = 0;
    for (const expiry of candidates) {
      if (taken === count) break;
      if (listed.has(expiry)) continue;
      listed.add(expiry);
      taken += 1;
    }
  }
  return [...listed].sort((a, b) => a - b);
}

/**
 * Funding settles at multiples of the interval counted from 00:00 UTC, so the next
 * settlement is the first such multiple strictly after `now`.
 */
export function nextFundingTime(now: number, intervalHours: number): number {
  const intervalMs = intervalHours * HOUR_MS;
  return Math.floor(now / intervalMs) * intervalMs + intervalMs;
}
