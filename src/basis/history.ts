/**
 * Maths over a history of curves: the constant-maturity basis of one day, and where
 * today's level sits within a window. Pure: days and dates come in as arguments.
 */

/** One dated contract on a day's curve: days to expiry and its annualized basis (fraction). */
export interface TenorPoint {
  days: number;
  annualized: number;
  symbol?: string;
}

/**
 * How the constant-maturity figure was obtained. `interpolated`: between the two
 * contracts around the target; `exact`: a contract sits on it; `single-contract`: the
 * only live contract stands in for the target; `nearest`: every contract is on one
 * side, so the nearest one stands in (flat, never extrapolated along a slope).
 */
export type ConstantMaturityMethod = 'interpolated' | 'exact' | 'single-contract' | 'nearest';

export interface ConstantMaturity {
  targetDays: number;
  annualized: number;
  method: ConstantMaturityMethod;
  /** The contracts the figure was read from (one or two). */
  from: TenorPoint[];
}

export const CONSTANT_MATURITY_DAYS = 30;

/**
 * The annualized basis at `targetDays` on one day's curve, linear in days between the
 * contract just below and the one just above the target. Linear in the annualized rate
 * (not in price) because that is what the curve chart plots and what traders quote.
 * Contracts at or past expiry carry no rate and are ignored; undefined when none is left.
 */
export function constantMaturity(points: TenorPoint[], targetDays = CONSTANT_MATURITY_DAYS): ConstantMaturity | undefined {
  const live = points.filter((point) => Number.isFinite(point.days) && point.days > 0 && Number.isFinite(point.annualized)).sort((a, b) => a.days - b.days);
  if (live.length === 0) return undefined;
  if (live.length === 1) return { targetDays, annualized: live[0].annualized, method: 'single-contract', from: [live[0]] };
  const exact = live.find((point) => point.days === targetDays);
  if (exact) return { targetDays, annualized: exact.annualized, method: 'exact', from: [exact] };
  const aboveIndex = live.findIndex((point) => point.days > targetDays);
  if (aboveIndex === 0) return { targetDays, annualized: live[0].annualized, method: 'nearest', from: [live[0]] };
  if (aboveIndex === -1) {
    const last = live[live.length - 1];
    return { targetDays, annualized: last.annualized, method: 'nearest', from: [last] };
  }
  const [below, above] = [live[aboveIndex - 1], live[aboveIndex]];
  const weight = (targetDays - below.days) / (above.days - below.days);
  return { targetDays, annualized: below.annualized + (above.annualized - below.annualized) * weight, method: 'interpolated', from: [below, above] };
}

/**
 * Percentile rank of `today` in `window`: the percent of observations at or below it
 * (0–100). "At or below" so the highest value of a window ranks 100, the lowest 100/n.
 * Undefined for an empty window.
 */
export function percentileRank(window: number[], today: number): number | undefined {
  const values = window.filter(Number.isFinite);
  if (values.length === 0 || !Number.isFinite(today)) return undefined;
  return (values.filter((value) => value <= today).length / values.length) * 100;
}

export interface DatedValue {
  /** ISO date (YYYY-MM-DD) of the observation. */
  date: string;
  value: number;
}

/** Highest and lowest of a series with their dates; the earliest date wins a tie. */
export function extremes(series: DatedValue[]): { highest: DatedValue; lowest: DatedValue } | undefined {
  const values = series.filter((point) => Number.isFinite(point.value));
  if (values.length === 0) return undefined;
  let [highest, lowest] = [values[0], values[0]];
  for (const point of values) {
    if (point.value > highest.value) highest = point;
    if (point.value < lowest.value) lowest = point;
  }
  return { highest, lowest };
}

/** Arithmetic mean, undefined when empty (a venue with no funding history in the window). */
export function mean(values: number[]): number | undefined {
  const finite = values.filter(Number.isFinite);
  return finite.length ? finite.reduce((sum, value) => sum + value, 0) / finite.length : undefined;
}
