import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatDays,
  formatFundingRate,
  formatPercent,
  formatPrice,
  formatSignedPrice,
} from '../../src/basis/format.js';

describe('formatPercent', () => {
  it('signs with ASCII + and -', () => {
    expect(formatPercent(0.0812)).toBe('+8.12%');
    expect(formatPercent(-0.034)).toBe('-3.40%');
    expect(formatPercent(0.1216667, 1)).toBe('+12.2%');
  });

  it('shows zero, and values that round to zero, without a sign', () => {
    expect(formatPercent(0)).toBe('0.00%');
    expect(formatPercent(-0.00001)).toBe('0.00%');
    expect(formatPercent(-0)).toBe('0.00%');
  });

  it('groups thousands and says n/a for non-finite input', () => {
    expect(formatPercent(12.345)).toBe('+1,234.50%');
    expect(formatPercent(Number.NaN)).toBe('n/a');
  });
});

describe('formatPrice', () => {
  it('chooses decimals by magnitude', () => {
    expect(formatPrice(97_123.45)).toBe('97,123.5');
    expect(formatPrice(3_456.784)).toBe('3,456.78');
    expect(formatPrice(0.523412)).toBe('0.52341');
    expect(formatPrice(0.00123456)).toBe('0.0012346');
    expect(formatPrice(1_234_567)).toBe('1,234,567.0');
  });

  it('keeps the sign of a negative value and only one sign for signed prices', () => {
    expect(formatPrice(-12.3)).toBe('-12.30');
    expect(formatSignedPrice(1_500)).toBe('+1,500.00');
    expect(formatSignedPrice(-1_200)).toBe('-1,200.00');
    // With the price it is a difference of, the basis keeps that price's decimals.
    expect(formatSignedPrice(-0.135, 185)).toBe('-0.14');
    expect(formatSignedPrice(478.1, 98_000)).toBe('+478.1');
    expect(formatSignedPrice(0)).toBe('0.00');
  });
});

describe('formatDays', () => {
  it('uses one decimal under 10 days and whole days above', () => {
    expect(formatDays(3.24)).toBe('3.2 d');
    expect(formatDays(0.04)).toBe('0.0 d');
    expect(formatDays(44.6)).toBe('45 d');
    // 9.96 rounds to 10.0, which is shown as whole days
    expect(formatDays(9.96)).toBe('10 d');
  });
});

describe('formatAge', () => {
  it('picks the unit after rounding', () => {
    expect(formatAge(800)).toBe('0.8 s');
    expect(formatAge(9_940)).toBe('9.9 s');
    expect(formatAge(9_960)).toBe('10 s');
    expect(formatAge(12_300)).toBe('12 s');
    expect(formatAge(59_600)).toBe('1 min');
    expect(formatAge(5 * 60_000)).toBe('5 min');
    expect(formatAge(3 * 3_600_000)).toBe('3 h');
    expect(formatAge(3 * 86_400_000)).toBe('3 d');
  });

  it('treats negative ages (clock skew) as zero', () => {
    expect(formatAge(-200)).toBe('0.0 s');
  });
});

describe('formatFundingRate', () => {
  it('shows a rate per interval with 4 decimals and its sign', () => {
    expect(formatFundingRate(0.0001)).toBe('+0.0100%');
    expect(formatFundingRate(-0.000025)).toBe('-0.0025%');
    expect(formatFundingRate(0)).toBe('0.0000%');
  });
});
