/**
 * Carry comparison: for one dated future, is it better to lock the basis with the
 * future (hedge A) or to hold the same spot position against the perpetual and roll it,
 * collecting or paying funding (hedge B)? Pure arithmetic on annualized fractions.
 *
 * Direction follows the basis: contango → cash-and-carry (long spot, short the hedge),
 * backwardation → reverse cash-and-carry (short borrowed spot, long the hedge). Both
 * hedges hold the same spot leg, so the borrow cost of a short spot leg lowers both
 * returns equally: it changes how much each pays, never which pays more.
 */
import { annualizedBasis, basisRate, DAYS_PER_YEAR } from './math.js';

export type CarryDirection = 'cash-and-carry' | 'reverse cash-and-carry';

export interface CarryInput {
  spot: number;
  future: number;
  daysToExpiry: number;
  /** Perp funding now, annualized (positive: longs pay shorts). */
  fundingNow: number;
  /** Trailing 7-day average of perp funding, annualized; undefined when no history. */
  fundingTrailing?: number;
  /** Annual cost of borrowing the spot asset for a short leg, fraction; default 0. */
  borrowApr?: number;
}

export interface RollScenario {
  /** The annualized funding assumed for the whole holding period. */
  funding: number;
  /** Hedge B's return per year of the spot notional, net of borrow. */
  annualized: number;
  /** Hedge A minus hedge B, per year (positive: the future pays more). */
  advantageAnnualized: number;
  /** Hedge A minus hedge B over the days to expiry, per unit of spot notional. */
  advantageToExpiry: number;
  better: 'future' | 'perp' | 'equal';
}

export interface CarryComparison {
  direction: CarryDirection;
  daysToExpiry: number;
  /** Hedge A: the basis locked with the future, per year, net of borrow. */
  lockedAnnualized: number;
  /** Hedge A over the days to expiry. */
  lockedToExpiry: number;
  now: RollScenario;
  trailing?: RollScenario;
  /** The annualized funding at which both hedges pay the same (the signed annualized basis). */
  breakEvenFunding: number;
  /** The borrow rate used (reverse cash-and-carry only; 0 otherwise). */
  borrowApr: number;
}

/** Annualized figures closer than this (0.0001 %/yr) are the same for a reader. */
const EQUAL_WITHIN = 1e-6;

function scenario(direction: CarryDirection, funding: number, locked: number, borrow: number, days: number): RollScenario {
  // Short the perp collects funding when it is positive; long the perp pays it.
  const annualized = (direction === 'cash-and-carry' ? funding : -funding) - borrow;
  const advantageAnnualized = locked - annualized;
  const better = Math.abs(advantageAnnualized) < EQUAL_WITHIN ? 'equal' : advantageAnnualized > 0 ? 'future' : 'perp';
  return { funding, annualized, advantageAnnualized, advantageToExpiry: (advantageAnnualized * days) / DAYS_PER_YEAR, better };
}

/**
 * Compares the two hedges for one future. Undefined at or past expiry (no basis left to
 * lock). Funding is held constant over the period in each scenario: a what-if, not a forecast.
 */
export function compareCarry(input: CarryInput): CarryComparison | undefined {
  const signed = annualizedBasis(basisRate(input.future, input.spot), input.daysToExpiry);
  if (signed === undefined) return undefined;
  const direction: CarryDirection = signed >= 0 ? 'cash-and-carry' : 'reverse cash-and-carry';
  // Only a short spot leg is borrowed; a long one costs nothing extra here.
  const borrow = direction === 'reverse cash-and-carry' ? Math.max(0, input.borrowApr ?? 0) : 0;
  const lockedAnnualized = Math.abs(signed) - borrow;
  const days = input.daysToExpiry;
  return {
    direction,
    daysToExpiry: days,
    lockedAnnualized,
    lockedToExpiry: (lockedAnnualized * days) / DAYS_PER_YEAR,
    now: scenario(direction, input.fundingNow, lockedAnnualized, borrow, days),
    trailing: input.fundingTrailing === undefined ? undefined : scenario(direction, input.fundingTrailing, lockedAnnualized, borrow, days),
    // Cash-and-carry: basis = f. Reverse: -basis - borrow = -f - borrow, so f = basis again.
    breakEvenFunding: signed,
    borrowApr: borrow,
  };
}
