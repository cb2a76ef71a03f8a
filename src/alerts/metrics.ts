/**
 * The numbers a rule watches, read from one CurveSet. Pure: the evaluator calls it once per
 * (asset, metric, tenor) per tick and every rule on that series shares the result.
 */
import { meaningfulPoints } from '../basis/state.js';
import { SUPPORTED_VENUES, type CurveSet, type FutureLeg, type MarketState, type VenueCurve } from '../market/types.js';
import type { Metric, Tenor } from './types.js';

/** One value of a series: per venue, or `*` for a cross-venue spread. */
export interface SeriesPoint {
  key: string;
  /** The key's position in TRACK_SLOTS: the evaluator finds a rule's track by index, not by name. */
  slot: number;
  /** Fraction; NaN for `state`. */
  value: number;
  /** The contract(s) behind the value, for messages: `SOL/USD:SOL-261225`, `binance vs okx`. */
  contract: string;
  state?: MarketState;
}

/** The key of a spread series: one value for the whole asset. */
export const SPREAD_KEY = '*';

/** Every key a series can have, in a fixed order. */
export const TRACK_SLOTS: readonly string[] = [...SUPPORTED_VENUES, SPREAD_KEY];
export const slotOf = (key: string): number => TRACK_SLOTS.indexOf(key);

/**
 * The dated contract a tenor names on one venue. front/next skip contracts with less than a
 * day left (state.ts's minDaysToExpiry): annualizing the last hours turns a one-tick basis into
 * hundreds of percent a year, which would fire every apr rule at each roll. That same filter is
 * what makes front/next roll a day before expiry. A dated tenor for `basis` (not annualized)
 * keeps its contract to the end.
 */
export function pickContract(curve: VenueCurve, tenor: Tenor, metric: Metric): FutureLeg | undefined {
  if (tenor === 'perp') return undefined;
  if (tenor === 'front' || tenor === 'next') return meaningfulPoints(curve.futures)[tenor === 'front' ? 0 : 1];
  const candidates = metric === 'basis' ? curve.futures.filter((f) => f.daysToExpiry > 0) : meaningfulPoints(curve.futures);
  return candidates.find((f) => f.expiry.slice(0, 10) === tenor);
}

function venueValue(curve: VenueCurve, metric: Metric, tenor: Tenor, freshOnly: boolean): { value: number; contract: string } | undefined {
  if (metric === 'funding' || (metric === 'spread' && tenor === 'perp')) {
    const funding = curve.perp?.funding;
    if (!funding || !curve.perp || (freshOnly && curve.perp.stale)) return undefined;
    return { value: funding.annualizedRate, contract: curve.perp.symbol };
  }
  const leg = pickContract(curve, tenor, metric);
  if (!leg || (freshOnly && (leg.stale || curve.spot.stale))) return undefined;
  return { value: metric === 'basis' ? leg.basisRate : leg.annualizedRate, contract: leg.symbol };
}

/**
 * Every value of one series in a CurveSet; venues without the contract are simply absent.
 * `freshOnly` (the evaluator) also leaves out stale prices: an old quote is the likeliest cause
 * of an outlier basis, and a crossing must not be sent on one. The venue's track then waits.
 */
export function extractSeries(set: CurveSet, metric: Metric, tenor: Tenor | undefined, freshOnly = false): SeriesPoint[] {
  if (metric === 'state') {
    return set.curves.filter((curve) => !freshOnly || !curve.stale).map((curve) => ({ key: curve.venue, slot: slotOf(curve.venue), value: Number.NaN, contract: `${curve.venue} curve`, state: curve.state }));
  }
  const effective = tenor ?? (metric === 'funding' ? 'perp' : 'front');
  const perVenue: SeriesPoint[] = [];
  for (const curve of set.curves) {
    const found = venueValue(curve, metric, effective, freshOnly);
    if (found && Number.isFinite(found.value)) perVenue.push({ key: curve.venue, slot: slotOf(curve.venue), ...found });
  }
  if (metric !== 'spread') return perVenue;
  if (perVenue.length < 2) return [];
  let high = perVenue[0];
  let low = perVenue[0];
  for (const point of perVenue) {
    if (point.value > high.value) high = point;
    if (point.value < low.value) low = point;
  }
  return [{ key: SPREAD_KEY, slot: slotOf(SPREAD_KEY), value: high.value - low.value, contract: `${high.key} ${high.contract} vs ${low.key} ${low.contract}` }];
}

/** Expiries (YYYY-MM-DD) listed on the given curves, for "that tenor does not exist" errors. */
export function listedExpiries(curves: readonly VenueCurve[]): string[] {
  return [...new Set(curves.flatMap((curve) => curve.futures.map((f) => f.expiry.slice(0, 10))))].sort();
}
