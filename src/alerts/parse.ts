/**
 * `/alert add` words → a RuleSpec, or an error naming the field and what is valid. Pure. The
 * optional words are recognised by their form, in any order, so the same parser reads a
 * Telegram line (`SOL basis below -1% okx 2026-12-25 here`) and Discord's typed options.
 */
import { closestMatches } from '../core/suggest.js';
import { SUPPORTED_VENUES, type VenueId } from '../market/types.js';
import { DIRECTIONS, METRICS, type Direction, type Metric, type RuleSpec, type Tenor } from './types.js';

export interface AddWords {
  asset: string;
  metric: string;
  /** Direction, value, venue, tenor and `here`, in any order. */
  words: string[];
  /** `30m`, `2h` (the `cooldown=` prefix is optional). */
  cooldown?: string;
  /** `0.5%` (the `band=` prefix is optional). */
  band?: string;
}

export interface ParseError {
  field: string;
  message: string;
  hint?: string;
}

export const MINUTE_MS = 60_000;
export const DEFAULT_COOLDOWN_MS = 60 * MINUTE_MS;
export const MIN_COOLDOWN_MS = MINUTE_MS;
const MAX_COOLDOWN_MS = 30 * 24 * 60 * MINUTE_MS;
/** Longest word accepted: tickers are ≤ 15, dates 10; anything longer is pasted junk. */
const MAX_WORD = 32;
const MAX_WORDS = 12;

const UNITS: Record<string, number> = { s: 1_000, m: MINUTE_MS, min: MINUTE_MS, h: 60 * MINUTE_MS, d: 24 * 60 * MINUTE_MS };

/** Percentage points a rule must move back to re-arm, unless `band=` says otherwise. */
export function defaultBand(metric: Metric): number {
  if (metric === 'basis') return 0.001;
  return metric === 'state' ? 0 : 0.01;
}

/** Control characters out, and a long word cut so an error can quote it safely. */
export function cleanWord(raw: string): string {
  return raw.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e]/g, '').trim();
}

export function quote(raw: string): string {
  return raw.length > MAX_WORD ? `${raw.slice(0, MAX_WORD)}…` : raw;
}

/** `-5%`, `-5`, `+2.5 %` → a fraction; undefined when it is not a number. */
export function parsePercent(raw: string): number | undefined {
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%?$/.exec(raw);
  if (!match) return undefined;
  const value = Number(match[1]) / 100;
  return Number.isFinite(value) ? value : undefined;
}

/** `30m`, `1h`, `90s`, `2d` → ms; undefined when it is not a duration. */
export function parseDuration(raw: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|min|h|d)$/i.exec(raw);
  if (!match) return undefined;
  return Number(match[1]) * UNITS[match[2].toLowerCase()];
}

function isDate(raw: string): raw is `${number}-${number}-${number}` {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return false;
  const date = new Date(`${raw}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === raw;
}

interface Bag {
  direction?: Direction;
  value?: number;
  venue?: VenueId;
  tenor?: Tenor;
  here: boolean;
}

const fail = (field: string, message: string, hint?: string): { error: ParseError } => ({ error: { field, message, hint } });

/** Sorts the free words by form; the first word that fits nothing is the error. */
function sortWords(words: string[], venues: readonly VenueId[]): { bag: Bag } | { error: ParseError } {
  const bag: Bag = { here: false };
  const twice = (field: string, word: string) => fail(field, `two ${field}s given ("${quote(word)}" is the second); give one`);
  for (const raw of words) {
    const word = raw.toLowerCase();
    if (word === 'here') bag.here = true;
    else if ((DIRECTIONS as readonly string[]).includes(word)) {
      if (bag.direction) return twice('direction', raw);
      bag.direction = word as Direction;
    } else if (parsePercent(word) !== undefined) {
      if (bag.value !== undefined) return twice('value', raw);
      bag.value = parsePercent(word);
    } else if ((SUPPORTED_VENUES as readonly string[]).includes(word)) {
      if (!venues.includes(word as VenueId)) return fail('venue', `${word} is not enabled here`, `Enabled venues: ${venues.join(', ')}.`);
      if (bag.venue) return twice('venue', raw);
      bag.venue = word as VenueId;
    } else if (word === 'perp' || word === 'front' || word === 'next' || isDate(word)) {
      if (bag.tenor) return twice('tenor', raw);
      bag.tenor = word as Tenor;
    } else if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(word)) {
      return fail('tenor', `"${quote(raw)}" is not a date`, 'Write an expiry as YYYY-MM-DD, e.g. 2026-12-25.');
    } else if (/^[+-]?[\d.,]|%$/.test(word)) {
      return fail('value', `"${quote(raw)}" is not a number`, 'Write a percent such as 2%, -1.5 or 0.25%.');
    } else {
      const known = [...DIRECTIONS, ...venues, 'perp', 'front', 'next', 'here'];
      const close = closestMatches(word, known, 1);
      return fail(
        'rule',
        `"${quote(raw)}" is not a direction, value, venue, tenor or "here"${close.length ? ` (did you mean ${close[0]}?)` : ''}`,
        `Directions: ${DIRECTIONS.join(', ')}. Values: a percent such as 2% or -1.5. Venues: ${venues.join(', ')}. Tenors: perp, front, next or YYYY-MM-DD. Options: cooldown=30m, band=0.5%, here.`,
      );
    }
  }
  return { bag };
}

/** Which tenors a metric takes, and its default. */
function checkTenor(metric: Metric, tenor: Tenor | undefined, venue: VenueId | undefined): { tenor?: Tenor } | { error: ParseError } {
  if (metric === 'state') {
    if (tenor) return fail('tenor', 'state watches the whole curve; it takes no tenor');
    return { tenor: undefined };
  }
  if (metric === 'funding') {
    if (tenor && tenor !== 'perp') return fail('tenor', 'funding is paid on the perpetual; it takes no expiry', 'Use apr or basis for a dated contract.');
    return { tenor: 'perp' };
  }
  if (metric === 'spread' && venue) return fail('venue', 'spread compares the highest and lowest venue; it takes no venue');
  if (tenor === 'perp' && metric !== 'spread') {
    return fail('tenor', `${metric} is the basis of a dated contract: use front, next or an expiry YYYY-MM-DD`, 'For the perpetual, watch funding.');
  }
  return { tenor: tenor ?? 'front' };
}

/** Parses `/alert add` words against the enabled venues. */
export function parseAddWords(input: AddWords, venues: readonly VenueId[]): { spec: RuleSpec } | { error: ParseError } {
  const words = input.words.map(cleanWord).filter(Boolean);
  const all = [input.asset, input.metric, ...words, input.cooldown ?? '', input.band ?? ''].map(cleanWord);
  const long = all.find((word) => word.length > MAX_WORD);
  if (long) return fail('rule', `"${quote(long)}" is too long for any field`);
  if (words.length > MAX_WORDS) return fail('rule', `too many words (${words.length})`);
  const asset = cleanWord(input.asset).toUpperCase();
  if (!/^[A-Z0-9]{1,15}$/.test(asset)) return fail('asset', `"${quote(asset)}" is not an asset ticker`, 'Use a ticker of letters and digits, e.g. BTC.');
  const metricWord = cleanWord(input.metric).toLowerCase();
  if (!(METRICS as readonly string[]).includes(metricWord)) {
    const close = closestMatches(metricWord, [...METRICS], 1);
    return fail('metric', `unknown metric "${quote(metricWord)}"${close.length ? ` (did you mean ${close[0]}?)` : ''}`, `Metrics: ${METRICS.join(', ')}.`);
  }
  const metric = metricWord as Metric;
  const sorted = sortWords(words, venues);
  if ('error' in sorted) return sorted;
  const { bag } = sorted;

  if (metric === 'state' && (bag.direction || bag.value !== undefined)) {
    return fail(bag.direction ? 'direction' : 'value', 'state fires when the curve flips between contango and backwardation; it takes no direction or value');
  }
  if (metric !== 'state' && bag.value === undefined) {
    return fail('value', `a value is required for ${metric}: a percent such as 2% or -1.5`, `Example: /alert add ${asset} ${metric} above 5%`);
  }
  if (bag.value !== undefined && Math.abs(bag.value) > 100) return fail('value', 'must be between -10000% and 10000%');
  const tenor = checkTenor(metric, bag.tenor, bag.venue);
  if ('error' in tenor) return tenor;

  let cooldownMs = DEFAULT_COOLDOWN_MS;
  const cooldownWord = cleanWord(input.cooldown ?? '').replace(/^cooldown[=:]/i, '');
  if (cooldownWord) {
    const parsed = parseDuration(cooldownWord);
    if (parsed === undefined) return fail('cooldown', `"${quote(cooldownWord)}" is not a duration`, 'Write it as 30m, 2h or 1d.');
    if (parsed < MIN_COOLDOWN_MS) return fail('cooldown', 'must be at least 1m');
    if (parsed > MAX_COOLDOWN_MS) return fail('cooldown', 'must be at most 30d');
    cooldownMs = parsed;
  }
  let band = defaultBand(metric);
  const bandWord = cleanWord(input.band ?? '').replace(/^band[=:]/i, '');
  if (bandWord) {
    const parsed = parsePercent(bandWord);
    if (parsed === undefined) return fail('band', `"${quote(bandWord)}" is not a number`, 'Write it in percentage points, e.g. band=0.5%.');
    if (metric === 'state') return fail('band', 'state takes no band: it flips on contango and backwardation');
    if (parsed <= 0 || parsed > 1) return fail('band', 'must be more than 0% and at most 100%');
    band = parsed;
  }
  const spec: RuleSpec = { asset, metric, cooldownMs, band, here: bag.here };
  if (metric !== 'state') {
    spec.direction = bag.direction ?? 'crosses';
    spec.threshold = bag.value;
  }
  if (tenor.tenor) spec.tenor = tenor.tenor;
  if (bag.venue) spec.venue = bag.venue;
  return { spec };
}
