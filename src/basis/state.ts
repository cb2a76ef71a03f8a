/**
 * Market state from a term structure: contango, backwardation, flat or mixed.
 * Pure: annualized rates and days in, a label out.
 */
import type { MarketState } from '../market/types.js';

/** The state of one contract; 'mixed' only exists for a set of them. */
export type PointState = Exclude<MarketState, 'mixed'>;

/** The two fields of a FutureLeg the classification looks at. */
export interface CurvePoint {
  annualizedRate: number;
  daysToExpiry: number;
}

export interface StateThresholds {
  /**
   * Annualized basis below which a contract counts as flat, as a fraction (default 0.01 =
   * 1%). Why 1%: a cash-and-carry pays taker fees on two legs to open and two to close
   * (~0.15–0.2% in all) and ties up capital; on a quarterly that is already ~0.6–0.8%
   * annualized, so a basis under 1% a year earns nothing after costs. It is also wider than
   * the noise of a bid/ask midpoint on the long-dated contracts.
   */
  flatBand: number;
  /**
   * Contracts closer to expiry than this (days) are ignored: annualizing over a few hours
   * turns a one-tick basis into hundreds of percent a year. Default 1 day.
   */
  minDaysToExpiry: number;
  /**
   * Perp premium over spot (raw fraction, not annualized) below which a futures-less venue
   * is flat. Default 0.0005 (0.05%), about one taker fee: a smaller premium is not a
   * tradeable signal and funding pulls it back within the interval.
   */
  perpFlatBand: number;
  /**
   * Front-contract annualized basis at or below which backwardation counts as steep for a
   * supply squeeze (default -0.10 = -10% a year).
   */
  squeezeFrontAnnualized: number;
}

export const DEFAULT_THRESHOLDS: StateThresholds = {
  flatBand: 0.01,
  minDaysToExpiry: 1,
  perpFlatBand: 0.0005,
  squeezeFrontAnnualized: -0.1,
};

function withDefaults(thresholds?: Partial<StateThresholds>): StateThresholds {
  return { ...DEFAULT_THRESHOLDS, ...thresholds };
}

/**
 * One value against a symmetric band. Exactly on the band counts as outside it (+1.00%
 * is contango), so "flat" always means strictly less than the band in magnitude.
 */
export function classifyValue(value: number, band: number): PointState {
  if (value >= band) return 'contango';
  if (value <= -band) return 'backwardation';
  return 'flat';
}

/**
 * The contracts worth classifying, nearest expiry first: finite rates with at least
 * `minDaysToExpiry` left (see StateThresholds for why the short ones are dropped).
 */
export function meaningfulPoints<T extends CurvePoint>(
  futures: readonly T[],
  thresholds?: Partial<StateThresholds>,
): T[] {
  const { minDaysToExpiry } = withDefaults(thresholds);
  return futures
    .filter((f) => Number.isFinite(f.annualizedRate) && Number.isFinite(f.daysToExpiry))
    .filter((f) => f.daysToExpiry >= minDaysToExpiry)
    .sort((a, b) => a.daysToExpiry - b.daysToExpiry);
}

/** Agreeing labels give that label; any disagreement gives 'mixed'; none gives 'flat'. */
function combine(states: readonly MarketState[]): MarketState {
  if (states.length === 0) return 'flat';
  const first = states[0];
  return states.every((s) => s === first) ? first : 'mixed';
}

/**
 * A venue's market state from its dated futures (annualized basis per contract):
 * contango when every meaningful contract is at or above +flatBand, backwardation when
 * every one is at or below -flatBand, flat when every one is inside the band, mixed
 * otherwise (including contango next to flat: the curve is not one shape).
 * With no meaningful futures, the perp premium decides against `perpFlatBand`; with
 * neither, the answer is flat (nothing shows a carry).
 */
export function classifyCurve(
  futures: readonly CurvePoint[],
  perpPremiumRate?: number,
  thresholds?: Partial<StateThresholds>,
): MarketState {
  const t = withDefaults(thresholds);
  const points = meaningfulPoints(futures, t);
  if (points.length > 0) return combine(points.map((p) => classifyValue(p.annualizedRate, t.flatBand)));
  if (perpPremiumRate !== undefined && Number.isFinite(perpPremiumRate)) {
    return classifyValue(perpPremiumRate, t.perpFlatBand);
  }
  return 'flat';
}

/** The state across venues: the one they agree on, 'mixed' if they disagree, 'flat' if none. */
export function classifyAcrossVenues(states: readonly MarketState[]): MarketState {
  return combine(states);
}

export interface CurveShape {
  /** State of the nearest meaningful contract and its days to expiry. */
  front: { state: PointState; daysToExpiry: number };
  /** State of the farthest meaningful contract and its days to expiry. */
  back: { state: PointState; daysToExpiry: number };
}

/**
 * Front and back ends of a curve (contracts from any number of venues, pooled), to say
 * where a mixed curve bends. `undefined` when no contract is meaningful.
 */
export function curveShape(
  futures: readonly CurvePoint[],
  thresholds?: Partial<StateThresholds>,
): CurveShape | undefined {
  const t = withDefaults(thresholds);
  const points = meaningfulPoints(futures, t);
  if (points.length === 0) return undefined;
  const end = (p: CurvePoint) => ({ state: classifyValue(p.annualizedRate, t.flatBand), daysToExpiry: p.daysToExpiry });
  return { front: end(points[0]), back: end(points[points.length - 1]) };
}

/** What isSupplySqueeze reads; a VenueCurve fits it as is. */
export interface SqueezeInput {
  futures: readonly CurvePoint[];
  perp: { funding: { rate: number } | null } | null;
}

/**
 * A possible supply squeeze: steep backwardation at the front (nearest meaningful contract
 * at or below `squeezeFrontAnnualized`, -10% a year by default) while perp funding is
 * negative (shorts pay longs). Both say the same thing from two markets: holders will not
 * part with the coin now, so anything deliverable later is cheaper. Without funding the
 * second signal is missing and the answer is false.
 */
export function isSupplySqueeze(curve: SqueezeInput, thresholds?: Partial<StateThresholds>): boolean {
  const t = withDefaults(thresholds);
  const front = meaningfulPoints(curve.futures, t)[0];
  const fundingRate = curve.perp?.funding?.rate;
  if (!front || fundingRate === undefined || !Number.isFinite(fundingRate)) return false;
  return front.annualizedRate <= t.squeezeFrontAnnualized && fundingRate < 0;
}
