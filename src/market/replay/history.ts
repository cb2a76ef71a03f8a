import type { VenueId } from '../types.js';
import { buildUniverse, type MarketSnapshot } from './universe-builder.js';
import snapshotJson from './snapshot.json' with { type: 'json' };
import type { ReplayInstrument } from './universe.js';
import { decimalsOf } from './encoders/common.js';

/**
 * Synthetic history behind the replay's candles, funding history and order books,
 * venue-neutral (each venue's history encoder renders it in its own wire format).
 *
 * The past is the bundled snapshot priced at an earlier clock, so listings follow the
 * venues' calendars and expiries roll inside any window, with a deterministic drift
 * that is zero from the start of today (the anchor) on: the newest history meets the
 * curve the replay serves now, and a UTC day's candle never changes once it has closed.
 */

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const SNAPSHOT = snapshotJson as unknown as MarketSnapshot;

/** The first instant of the UTC day holding `ms`. */
export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function wave(daysAgo: number, period: number, amplitude: number): number {
  return amplitude * Math.sin((2 * Math.PI * daysAgo) / period);
}

/** The snapshot as it stood `daysAgo` before the anchor: spot, basis and funding drift smoothly. */
function driftedVenue(venue: VenueId, daysAgo: number): MarketSnapshot {
  const assets = Object.fromEntries(
    Object.entries(SNAPSHOT.assets).map(([asset, settings]) => [
      asset,
      {
        ...settings,
        referenceSpot: settings.referenceSpot * (1 + wave(daysAgo, 41, 0.06) + wave(daysAgo, 9, 0.015)),
        basisCurve: settings.basisCurve?.map((node) => ({ ...node, annualized: node.annualized + wave(daysAgo, 33, 0.025) + wave(daysAgo, 7.5, 0.008) })),
      },
    ]),
  );
  const own = SNAPSHOT.venues[venue];
  const venues = own
    ? {
        [venue]: {
          ...own,
          assets: Object.fromEntries(
            Object.entries(own.assets).map(([asset, settings]) => [asset, { ...settings, fundingRate: settings.fundingRate * (1 + wave(daysAgo, 19, 0.9)) }]),
          ),
        },
      }
    : {};
  return { ...SNAPSHOT, assets, venues };
}

const memo = new Map<string, ReplayInstrument[]>();
const MEMO_LIMIT = 20_000;

/** One venue's instruments at `at`, as the replay would have served them then. */
export function instrumentsAt(anchor: number, venue: VenueId, at: number): ReplayInstrument[] {
  const key = `${anchor}|${venue}|${at}`;
  let instruments = memo.get(key);
  if (!instruments) {
    const daysAgo = Math.max(0, (anchor - at) / DAY_MS);
    instruments = buildUniverse(driftedVenue(venue, daysAgo), at).instruments;
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, instruments);
  }
  return instruments;
}

export interface Candle {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Coins traded (a synthetic day's volume, from the 24h volume of the snapshot). */
  baseVolume: number;
  quoteVolume: number;
}

/** On the tick grid, printed with the tick's decimals (no 100142.01000000001). */
function roundToTick(value: number, tick: number): number {
  return Number((Math.round(value / tick) * tick).toFixed(decimalsOf(tick)));
}

/**
 * Daily candles of the instrument `matches` picks, for every UTC day whose open lies in
 * [from, to] and on which it was listed; today's candle is partial, closing at `asOf`.
 */
export function dailyCandles(asOf: number, venue: VenueId, matches: (instrument: ReplayInstrument) => boolean, from: number, to: number): Candle[] {
  const anchor = dayStart(asOf);
  const candles: Candle[] = [];
  for (let open = Math.ceil(from / DAY_MS) * DAY_MS; open <= Math.min(to, anchor); open += DAY_MS) {
    const close = Math.min(open + DAY_MS, asOf);
    const atOpen = instrumentsAt(anchor, venue, open).find(matches);
    const atClose = instrumentsAt(anchor, venue, close).find(matches);
    if (!atClose) continue;
    const tick = atClose.tickSize;
    const [first, last] = [roundToTick(atOpen?.mark ?? atClose.mark, tick), roundToTick(atClose.mark, tick)];
    const quoteVolume = atClose.volume24hQuote * ((close - open) / DAY_MS);
    candles.push({
      openTime: open,
      open: first,
      high: roundToTick(Math.max(first, last) * 1.003, tick),
      low: roundToTick(Math.min(first, last) * 0.997, tick),
      close: last,
      baseVolume: quoteVolume / atClose.mark,
      quoteVolume,
    });
  }
  return candles;
}

export interface FundingEvent {
  time: number;
  /** Rate per the perp's funding interval. */
  rate: number;
  intervalHours: number;
}

/** Funding settlements of the perp `matches` picks in [from, to], up to `asOf`, oldest first. */
export function fundingEvents(asOf: number, venue: VenueId, matches: (instrument: ReplayInstrument) => boolean, from: number, to: number, stepHours?: number): FundingEvent[] {
  const anchor = dayStart(asOf);
  const now = instrumentsAt(anchor, venue, asOf).find((instrument) => instrument.kind === 'perp' && matches(instrument));
  if (!now?.fundingIntervalHours) return [];
  const step = (stepHours ?? now.fundingIntervalHours) * HOUR_MS;
  const interval = now.fundingIntervalHours * HOUR_MS;
  const events: FundingEvent[] = [];
  for (let time = Math.ceil(from / step) * step; time <= Math.min(to, asOf); time += step) {
    // Rows finer than the interval (deribit's hourly) repeat the rate of their interval:
    // one market to price per settlement instead of one per hour.
    const sampled = Math.floor(time / interval) * interval;
    const perp = instrumentsAt(anchor, venue, sampled).find((instrument) => instrument.kind === 'perp' && matches(instrument));
    // Venues publish rates to 8 decimals; the drifted rate would carry float noise beyond that.
    if (perp?.fundingRate !== undefined) events.push({ time, rate: Number(perp.fundingRate.toFixed(8)), intervalHours: perp.fundingIntervalHours ?? now.fundingIntervalHours });
  }
  return events;
}

/** One side of a synthetic book: [price, size in quote money (USD)], best first. */
export type MoneyLevel = [price: number, usd: number];

export const BOOK_LEVELS = 25;
/** A level's size as a share of the instrument's 24h volume, growing away from the touch. */
const LEVEL_SHARE = 2e-5;

/**
 * A deterministic book around the instrument's bid and ask: levels half a basis point
 * (at least a tick) apart, each bigger than the one before, sized from the 24h volume
 * in whole thousands of dollars so that every venue's unit conversion stays exact.
 */
export function syntheticBook(instrument: ReplayInstrument, depth = BOOK_LEVELS): { bids: MoneyLevel[]; asks: MoneyLevel[] } {
  const tick = instrument.tickSize;
  const step = Math.max(tick, roundToTick(instrument.mark * 0.5e-4, tick));
  const levels = Math.max(1, Math.min(depth, BOOK_LEVELS));
  // Derivative books are quoted by market makers well beyond their own traded volume; a
  // spot book is only as deep as its volume (deribit's BTC spot stays thin for $1m).
  const floor = instrument.kind === 'spot' ? 1000 : 20_000;
  const usd = (index: number): number => Math.round((Math.max(floor, instrument.volume24hQuote * LEVEL_SHARE) * (1 + index / 2)) / 1000) * 1000;
  const side = (best: number, sign: 1 | -1): MoneyLevel[] =>
    Array.from({ length: levels }, (_, index) => [roundToTick(best + sign * index * step, tick), usd(index)] as MoneyLevel).filter(([price]) => price > 0);
  return { bids: side(instrument.bid, -1), asks: side(instrument.ask, 1) };
}
