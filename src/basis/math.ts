/**
 * The basis maths, each formula once. Everything else (market/curve.ts, alerts,
 * explanations) calls these instead of writing the arithmetic again.
 *
 * Error policy: a result that can legitimately be missing in market data (an expired
 * contract, a one-sided book) is `undefined`; an input that can only come from a bug
 * (a non-positive spot price, a zero funding interval) throws a RangeError, because
 * silently dividing by it would put a wrong number in front of a user.
 */
import type { PriceSource } from '../market/types.js';

export const MS_PER_DAY = 86_400_000;
export const DAYS_PER_YEAR = 365;
export const HOURS_PER_YEAR = DAYS_PER_YEAR * 24;

function requirePositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`${name} must be a positive finite number, got ${value}`);
  }
}

function isPositive(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** Basis in price units: future (or perp) price minus spot price, `F − S`. */
export function basis(futurePrice: number, spotPrice: number): number {
  return futurePrice - spotPrice;
}

/**
 * Basis as a fraction of spot, `(F − S) / S`: the percentage a future trades above
 * (positive) or below (negative) spot. Throws on a non-positive spot price.
 */
export function basisRate(futurePrice: number, spotPrice: number): number {
  requirePositive('spotPrice', spotPrice);
  return basis(futurePrice, spotPrice) / spotPrice;
}

/**
 * Days from `asOfMs` to `expiryMs`, fractional (`(expiry − asOf) / 86 400 000`).
 * Negative once the contract has expired; the caller decides what to do with it.
 */
export function daysToExpiry(expiryMs: number, asOfMs: number): number {
  return (expiryMs - asOfMs) / MS_PER_DAY;
}

/**
 * Simple annualized basis, ACT/365: `basisRate × 365 / days` — the convention venues
 * use for their own published figures (not compounded).
 *
 * Returns `undefined` when `days ≤ 0` (or not finite): a contract at or past expiry has
 * no rate left to annualize, and that happens in live data around settlement, so it is
 * not an error. Very short tenors still return a number; deciding whether it is
 * meaningful belongs to the caller (see `minDaysToExpiry` in state.ts).
 */
export function annualizedBasis(basisRateValue: number, days: number): number | undefined {
  if (!(Number.isFinite(days) && days > 0)) return undefined;
  return (basisRateValue * DAYS_PER_YEAR) / days;
}

/**
 * Funding rate per interval, annualized: `rate × 8760 / intervalHours` (simple, no
 * compounding). Throws on a non-positive interval.
 */
export function annualizedFunding(rate: number, intervalHours: number): number {
  requirePositive('intervalHours', intervalHours);
  return (rate * HOURS_PER_YEAR) / intervalHours;
}

/**
 * Funding normalised to an 8-hour interval, `rate × 8 / intervalHours`, so venues that
 * fund every 1h, 4h or 8h can be compared side by side. Throws on a non-positive interval.
 */
export function fundingPer8h(rate: number, intervalHours: number): number {
  requirePositive('intervalHours', intervalHours);
  return (rate * 8) / intervalHours;
}

/**
 * Bid/ask midpoint, only for a sane two-sided book: both finite and positive and not
 * crossed (bid ≤ ask). Anything else is `undefined`, so the caller falls back to mark.
 */
export function midPrice(bid: number | undefined, ask: number | undefined): number | undefined {
  if (!isPositive(bid) || !isPositive(ask) || bid > ask) return undefined;
  return (bid + ask) / 2;
}

export interface PriceCandidates {
  bid?: number;
  ask?: number;
  mark?: number;
  last?: number;
}

export interface PickedPrice {
  price: number;
  priceSource: PriceSource;
}

/**
 * The price to use for an instrument: the midpoint, else the mark, else the last trade.
 * Last comes last because on a thin quarterly contract it can be hours old and far from
 * the market. `undefined` when none is a positive finite number.
 */
export function pickPrice(quote: PriceCandidates): PickedPrice | undefined {
  const mid = midPrice(quote.bid, quote.ask);
  if (mid !== undefined) return { price: mid, priceSource: 'mid' };
  if (isPositive(quote.mark)) return { price: quote.mark, priceSource: 'mark' };
  if (isPositive(quote.last)) return { price: quote.last, priceSource: 'last' };
  return undefined;
}

/** Which side of the carry trade a basis implies. */
export type CarryTrade = 'cash-and-carry' | 'reverse cash-and-carry' | 'none';

export interface CarryReturn {
  /** Contango (F > S): buy spot, sell the future; backwardation (F < S): the reverse. */
  trade: CarryTrade;
  /** Gross return locked in by expiry per unit of spot, `|F − S| / S`. */
  returnToExpiry: number;
  /** `returnToExpiry` annualized (simple, ACT/365); undefined at or past expiry. */
  annualizedReturn: number | undefined;
}

/**
 * What a carry trade on this future earns by expiry per unit of spot, before fees,
 * funding and borrow costs. Cash-and-carry (contango) buys spot at S and sells the future
 * at F: at expiry the future converges to spot, leaving F − S. Reverse cash-and-carry
 * (backwardation) sells borrowed spot at S and buys the future at F, leaving S − F.
 * Either way the gross return is `|F − S| / S`.
 */
export function carryReturnToExpiry(futurePrice: number, spotPrice: number, days: number): CarryReturn {
  const rate = basisRate(futurePrice, spotPrice);
  const trade: CarryTrade = rate > 0 ? 'cash-and-carry' : rate < 0 ? 'reverse cash-and-carry' : 'none';
  const returnToExpiry = Math.abs(rate);
  return { trade, returnToExpiry, annualizedReturn: annualizedBasis(returnToExpiry, days) };
}
