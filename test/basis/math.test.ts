import { describe, expect, it } from 'vitest';
import {
  annualizedBasis,
  annualizedFunding,
  basis,
  basisRate,
  carryReturnToExpiry,
  daysToExpiry,
  fundingPer8h,
  midPrice,
  pickPrice,
} from '../../src/basis/math.js';

describe('basis and basisRate', () => {
  it('basis is F - S in price units', () => {
    // 101,500 - 100,000 = 1,500
    expect(basis(101_500, 100_000)).toBe(1_500);
    // 98,800 - 100,000 = -1,200
    expect(basis(98_800, 100_000)).toBe(-1_200);
  });

  it('basisRate is (F - S) / S', () => {
    // (101,500 - 100,000) / 100,000 = 0.015
    expect(basisRate(101_500, 100_000)).toBeCloseTo(0.015, 12);
    // (2,970 - 3,000) / 3,000 = -0.01
    expect(basisRate(2_970, 3_000)).toBeCloseTo(-0.01, 12);
  });

  it('basisRate refuses a non-positive or non-finite spot', () => {
    expect(() => basisRate(100, 0)).toThrow(RangeError);
    expect(() => basisRate(100, -5)).toThrow(RangeError);
    expect(() => basisRate(100, Number.NaN)).toThrow(RangeError);
  });
});

describe('daysToExpiry', () => {
  it('counts fractional days between two instants', () => {
    // 2026-03-01T00:00Z -> 2026-03-27T08:00Z = 26 d + 8 h = 26 + 8/24 = 26.333...
    const asOf = Date.UTC(2026, 2, 1, 0, 0);
    const expiry = Date.UTC(2026, 2, 27, 8, 0);
    expect(daysToExpiry(expiry, asOf)).toBeCloseTo(26 + 8 / 24, 12);
  });

  it('is negative after expiry', () => {
    // 12 hours past expiry = -0.5 d
    expect(daysToExpiry(0, 12 * 3_600_000)).toBe(-0.5);
  });
});

describe('annualizedBasis', () => {
  it('scales a basis rate by 365 / days (simple, ACT/365)', () => {
    // 0.015 * 365 / 45 = 5.475 / 45 = 0.121666...
    expect(annualizedBasis(0.015, 45)).toBeCloseTo(0.1216667, 6);
    // -0.01 * 365 / 73 = -0.05
    expect(annualizedBasis(-0.01, 73)).toBeCloseTo(-0.05, 12);
  });

  it('is undefined at or past expiry and for a non-finite tenor', () => {
    expect(annualizedBasis(0.01, 0)).toBeUndefined();
    expect(annualizedBasis(0.01, -1)).toBeUndefined();
    expect(annualizedBasis(0.01, Number.NaN)).toBeUndefined();
  });
});

describe('funding', () => {
  it('annualizes a rate per interval with 8760 / intervalHours', () => {
    // 0.0001 per 8h: 0.0001 * 8760 / 8 = 0.1095
    expect(annualizedFunding(0.0001, 8)).toBeCloseTo(0.1095, 12);
    // 0.0001 per 1h: 0.0001 * 8760 = 0.876
    expect(annualizedFunding(0.0001, 1)).toBeCloseTo(0.876, 12);
  });

  it('normalises a rate to an 8h interval', () => {
    // 0.00005 per 4h -> 0.00005 * 8 / 4 = 0.0001 per 8h
    expect(fundingPer8h(0.00005, 4)).toBeCloseTo(0.0001, 15);
    // -0.00002 per 1h -> -0.00016 per 8h
    expect(fundingPer8h(-0.00002, 1)).toBeCloseTo(-0.00016, 15);
  });

  it('refuses a non-positive interval', () => {
    expect(() => annualizedFunding(0.0001, 0)).toThrow(RangeError);
    expect(() => fundingPer8h(0.0001, -8)).toThrow(RangeError);
  });
});

describe('midPrice and pickPrice', () => {
  it('averages a sane two-sided book', () => {
    // (99 + 101) / 2 = 100
    expect(midPrice(99, 101)).toBe(100);
    expect(midPrice(100, 100)).toBe(100);
  });

  it('rejects a one-sided, crossed, zero or non-finite book', () => {
    expect(midPrice(undefined, 101)).toBeUndefined();
    expect(midPrice(99, undefined)).toBeUndefined();
    expect(midPrice(102, 101)).toBeUndefined();
    expect(midPrice(0, 101)).toBeUndefined();
    expect(midPrice(99, Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('prefers mid, then mark, then last', () => {
    expect(pickPrice({ bid: 99, ask: 101, mark: 200, last: 300 })).toEqual({ price: 100, priceSource: 'mid' });
    expect(pickPrice({ bid: 102, ask: 101, mark: 200, last: 300 })).toEqual({ price: 200, priceSource: 'mark' });
    expect(pickPrice({ ask: 101, mark: 0, last: 300 })).toEqual({ price: 300, priceSource: 'last' });
    expect(pickPrice({ mark: Number.NaN })).toBeUndefined();
    expect(pickPrice({})).toBeUndefined();
  });
});

describe('carryReturnToExpiry', () => {
  it('contango: cash-and-carry earns (F - S) / S', () => {
    // (102,000 - 100,000) / 100,000 = 0.02 to expiry; 0.02 * 365 / 90 = 0.081111...
    const carry = carryReturnToExpiry(102_000, 100_000, 90);
    expect(carry.trade).toBe('cash-and-carry');
    expect(carry.returnToExpiry).toBeCloseTo(0.02, 12);
    expect(carry.annualizedReturn).toBeCloseTo(0.0811111, 6);
  });

  it('backwardation: reverse cash-and-carry earns (S - F) / S', () => {
    // (100,000 - 99,000) / 100,000 = 0.01; 0.01 * 365 / 60 = 0.060833...
    const carry = carryReturnToExpiry(99_000, 100_000, 60);
    expect(carry.trade).toBe('reverse cash-and-carry');
    expect(carry.returnToExpiry).toBeCloseTo(0.01, 12);
    expect(carry.annualizedReturn).toBeCloseTo(0.0608333, 6);
  });

  it('no basis means no trade, and an expired contract has no annualized figure', () => {
    expect(carryReturnToExpiry(100, 100, 30)).toEqual({ trade: 'none', returnToExpiry: 0, annualizedReturn: 0 });
    expect(carryReturnToExpiry(101, 100, 0).annualizedReturn).toBeUndefined();
  });
});
