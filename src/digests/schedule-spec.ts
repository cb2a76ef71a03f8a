/**
 * `/digest set` text → a validated schedule, or an error that names what is wrong and what
 * would be right. Pure (no store, no market): assets are checked against the known list by
 * the caller, because that list comes from the venues.
 */
import cron from 'node-cron';
import { isTicker } from '../core/market-query.js';
import { canonicalZone, suggestZones, zoneRegions } from './zones.js';

/** Longest `set` text considered: a schedule is a few words, anything longer is pasted or hostile. */
export const MAX_SET_TEXT = 200;
export const MAX_ASSETS = 10;

export const SET_EXAMPLES = 'e.g. /digest set 08:00 Europe/Berlin BTC ETH SOL, or /digest set cron:"0 8 * * 1-5" UTC';

export interface ScheduleSpec {
  /** What the user wrote for the time, normalised: `08:00` or `cron:0 8 * * 1-5`. */
  when: string;
  /** The 5-field cron expression the scheduler runs (a daily HH:MM becomes `M H * * *`). */
  expression: string;
  timezone?: string;
  /** Upper-cased, de-duplicated; undefined means the watch list. */
  assets?: string[];
}

export type SpecResult = { ok: true; spec: ScheduleSpec } | { ok: false; error: string; hint: string };

const fail = (error: string, hint: string): SpecResult => ({ ok: false, error, hint });
export const shown = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** Joins the bound options back into one line: free text and Discord's typed options then parse alike. */
export function setText(args: Record<string, unknown>): string {
  return ['when', 'timezone', 'assets'].map((name) => args[name]).filter((value) => value !== undefined && value !== '').join(' ');
}

/** Splits `cron:"0 8 * * 1-5" rest…` or `cron:0 8 * * 1-5 rest…` (five fields taken) or `08:00 rest…`. */
function splitWhen(text: string): { when: string; cronExpression?: string; rest: string[] } | { error: string } {
  const cronMatch = /^cron:\s*(.*)$/is.exec(text);
  if (!cronMatch) {
    const [when, ...rest] = text.split(/\s+/);
    return { when, rest };
  }
  const body = cronMatch[1];
  if (body.startsWith('"')) {
    const close = body.indexOf('"', 1);
    if (close < 0) return { error: 'the cron expression has no closing quote' };
    const expression = body.slice(1, close).trim().replace(/\s+/g, ' ');
    return { when: `cron:${expression}`, cronExpression: expression, rest: body.slice(close + 1).split(/\s+/).filter(Boolean) };
  }
  const words = body.split(/\s+/).filter(Boolean);
  const expression = words.slice(0, 5).join(' ');
  return { when: `cron:${expression}`, cronExpression: expression, rest: words.slice(5) };
}

/** HH:MM on a 24-hour clock → a daily cron expression. */
function dailyExpression(when: string): string | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(when);
  if (!match) return undefined;
  const [hour, minute] = [Number(match[1]), Number(match[2])];
  return hour <= 23 && minute <= 59 ? `${minute} ${hour} * * *` : undefined;
}

/**
 * Checks a cron expression for a digest: five fields (minute precision), valid per node-cron,
 * and at most hourly. One minute value is exactly "at most once an hour": with two or more,
 * every matching hour fires more than once, and with one, no hour can.
 */
export function checkCron(expression: string): string | undefined {
  const fields = expression.split(' ').filter(Boolean);
  if (fields.length !== 5) return `a digest cron has 5 fields (minute hour day-of-month month day-of-week), "${shown(expression)}" has ${fields.length}`;
  const validation = cron.validateDetailed(expression);
  if (!validation.valid) return `"${shown(expression)}" is not a valid cron expression: ${validation.errors.map((error) => error.message).join('; ')}`;
  if ((validation.fields?.minute.length ?? 0) !== 1) return `"${shown(expression)}" runs more often than hourly; a digest can run at most once an hour (one minute value, e.g. "0 * * * *")`;
  return undefined;
}

/**
 * What to offer for an unknown zone: close names when there are some (`Europe/Berlim`); when
 * nothing is close (`Mars/Olympus`), what a zone looks like and the regions it can start with,
 * so the user learns the valid form rather than getting an unrelated "nearest" city.
 */
export function zoneHint(text: string): string {
  const close = suggestZones(text);
  if (close.length) return `Did you mean ${close.join(', ')}?`;
  const examples = 'Use an IANA zone such as UTC, Europe/Berlin, America/New_York or Asia/Tokyo.';
  const region = text.includes('/') ? text.split('/')[0] : undefined;
  if (region === undefined || zoneRegions().some((known) => known.toLowerCase() === region.toLowerCase())) return `No zone has a name close to that. ${examples}`;
  return `No zone has a name close to that, and "${shown(region)}" is not a region: zones start with ${zoneRegions().join(', ')}. ${examples}`;
}

/** Parses the whole `set` line. The first word after the time is a zone if it is one; otherwise assets start there. */
export function parseScheduleSpec(text: string): SpecResult {
  const line = text.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  if (line.length === 0) return fail('Say when the digest should run.', `Use HH:MM or cron:"<expression>", ${SET_EXAMPLES}.`);
  if (line.length > MAX_SET_TEXT) return fail(`That schedule is ${line.length} characters long; at most ${MAX_SET_TEXT} are read.`, `Use a time, a zone and a few assets, ${SET_EXAMPLES}.`);
  const split = splitWhen(line);
  if ('error' in split) return fail(`Cannot read the schedule: ${split.error}.`, `Quote the expression, ${SET_EXAMPLES}.`);
  let expression = split.cronExpression;
  if (expression !== undefined) {
    const problem = checkCron(expression);
    if (problem) return fail(`Cannot use that cron: ${problem}.`, `Examples: cron:"0 8 * * *" (daily 08:00), cron:"30 7 * * 1-5" (weekdays 07:30), cron:"0 */6 * * *" (every 6 hours).`);
  } else {
    expression = dailyExpression(split.when);
    if (!expression) return fail(`"${shown(split.when)}" is not a time of day.`, `Use HH:MM on a 24-hour clock (00:00 to 23:59), ${SET_EXAMPLES}.`);
    const [minute, hour] = expression.split(' ');
    split.when = `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`;
  }
  const rest = [...split.rest];
  let timezone: string | undefined;
  if (rest.length > 0) {
    const zone = canonicalZone(rest[0]);
    if (zone) {
      timezone = zone;
      rest.shift();
    } else if (rest[0].includes('/') || !isTicker(rest[0])) {
      return fail(`Unknown time zone "${shown(rest[0])}".`, zoneHint(rest[0]));
    }
  }
  const bad = rest.find((word) => !isTicker(word));
  if (bad !== undefined) return fail(`"${shown(bad)}" is not an asset ticker.`, `Assets are tickers of letters and digits, ${SET_EXAMPLES}.`);
  const assets = [...new Set(rest.map((word) => word.toUpperCase()))];
  if (assets.length > MAX_ASSETS) return fail(`That is ${assets.length} assets; a digest covers at most ${MAX_ASSETS}.`, 'Pick the ones you follow most; the rest are one /basis away.');
  return { ok: true, spec: { when: split.when, expression, timezone, assets: assets.length ? assets : undefined } };
}

/** `every day at 08:00` or `on cron "0 8 * * 1-5"`. */
export function describeWhen(spec: Pick<ScheduleSpec, 'when' | 'expression'>): string {
  return spec.when.startsWith('cron:') ? `on cron "${spec.expression}"` : `every day at ${spec.when}`;
}
