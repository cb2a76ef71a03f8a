/**
 * Helpers shared by the venue encoders: how venues print numbers, the date codes they
 * put in native instrument ids, and picking a venue's instruments out of the universe.
 * Venue-specific shapes stay in each encoder; only what two or more venues share lives here.
 */
import type { VenueId } from '../../types.js';
import type { ReplayInstrument, ReplayResponse, ReplayUniverse } from '../universe.js';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** CME-style futures month letters (bybit inverse quarterlies: BTCUSDH26). */
const MONTH_LETTERS = 'FGHJKMNQUVXZ';

/** Decimal places of a step such as a tick size (0.00001 -> 5, 2.5 -> 1, 1 -> 0). */
export function decimalsOf(step: number): number {
  const text = step.toString();
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent) return Number(exponent[1]) + (text.split('e')[0].split('.')[1]?.length ?? 0);
  return text.includes('.') ? text.split('.')[1].length : 0;
}

/** A number as venues print it in JSON strings: plain decimal, never exponent notation. */
export function plain(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot print ${value}`);
  if (Number.isInteger(value)) return value.toString();
  const text = value.toString();
  if (!text.includes('e')) return text;
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/** A number padded to a fixed number of decimals ("0.00010000"), as binance prints rates and sizes. */
export function fixed(value: number, decimals: number): string {
  return value.toFixed(decimals);
}

/** 261225 (binance BTCUSDT_261225, okx BTC-USD-261225, ccxt's symbol suffix). */
export function yymmdd(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number): string => n.toString().padStart(2, '0');
  return `${pad(date.getUTCFullYear() % 100)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;
}

/** 25DEC26 (deribit BTC-25DEC26, bybit BTC-25DEC26); deribit drops the leading zero of the day. */
export function dmmmyy(ms: number, padDay = false): string {
  const date = new Date(ms);
  const day = date.getUTCDate().toString();
  return `${padDay ? day.padStart(2, '0') : day}${MONTHS[date.getUTCMonth()]}${(date.getUTCFullYear() % 100).toString().padStart(2, '0')}`;
}

/** H26 for March 2026: month letter and two-digit year. */
export function monthCode(ms: number): string {
  const date = new Date(ms);
  return `${MONTH_LETTERS[date.getUTCMonth()]}${(date.getUTCFullYear() % 100).toString().padStart(2, '0')}`;
}

/** The venue's instruments, optionally narrowed by kind and margin. */
export function venueInstruments(
  universe: ReplayUniverse,
  venue: VenueId,
  filter: { kind?: ReplayInstrument['kind']; margin?: ReplayInstrument['margin'] } = {},
): ReplayInstrument[] {
  return universe.instruments.filter(
    (instrument) =>
      instrument.venue === venue &&
      (filter.kind === undefined || instrument.kind === filter.kind) &&
      (filter.margin === undefined || instrument.margin === filter.margin),
  );
}

/**
 * Futures of the same venue, asset and margin in expiry order, so encoders can name
 * them by position (binance CURRENT_QUARTER/NEXT_QUARTER, okx this_week ... next_quarter).
 */
export function expiryRank(universe: ReplayUniverse, instrument: ReplayInstrument): number {
  return universe.instruments
    .filter(
      (other) =>
        other.venue === instrument.venue &&
        other.asset === instrument.asset &&
        other.margin === instrument.margin &&
        other.quote === instrument.quote &&
        other.kind === 'future',
    )
    .map((other) => other.expiry!)
    .sort((a, b) => a - b)
    .indexOf(instrument.expiry!);
}

/** Base volume for a quote volume: quote volume / price (or contracts, for inverse venues that count them). */
export function baseVolume(instrument: ReplayInstrument): number {
  return instrument.volume24hQuote / ((instrument.bid + instrument.ask) / 2);
}

/** A JSON answer. */
export function ok(body: unknown): ReplayResponse {
  return { status: 200, body };
}

/** A JSON error answer with the venue's own status and body. */
export function fail(status: number, body: unknown): ReplayResponse {
  return { status, body };
}

/**
 * A price padded to a tick's decimals without losing finer digits ("98024.50" at tick
 * 0.01, "98476.17" at tick 0.5): venues pad prices to their price scale, and a mark
 * that sits between ticks must still round-trip exactly.
 */
export function atLeastDecimals(value: number, decimals: number): string {
  return value.toFixed(Math.min(Math.max(decimals, decimalsOf(value)), 20));
}

/** A plausible order-size step for a coin at `price`: a power of ten worth about $1-$100, at most 1. */
export function lotStep(price: number): number {
  const exponent = Math.min(0, Math.floor(Math.log10(100 / price)));
  return Number((10 ** exponent).toFixed(Math.max(0, -exponent)));
}
