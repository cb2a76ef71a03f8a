import { describe, expect, it } from 'vitest';
import type { VenueCurve } from '../../src/market/types.js';
import { curveTable, fundingLine } from '../../src/render/curve-table.js';

const leg = { timestamp: '2026-11-25T11:59:59.000Z', ageMs: 1_000, stale: false, priceSource: 'mid' as const };
const curve: VenueCurve = {
  venue: 'binance',
  asset: 'BTC',
  asOf: '2026-11-25T12:00:00.000Z',
  spot: { ...leg, symbol: 'BTC/USDT', price: 100_000 },
  perp: {
    ...leg,
    symbol: 'BTC/USDT:USDT',
    price: 100_050,
    premiumRate: 0.0005,
    funding: { rate: 0.0001, intervalHours: 4, annualizedRate: 0.219, ratePer8h: 0.0002, nextFundingTime: '2026-11-25T16:00:00.000Z' },
  },
  futures: [
    { ...leg, symbol: 'BTC/USD:BTC-261225', priceSource: 'mark', price: 101_000, expiry: '2026-12-25T08:00:00.000Z', daysToExpiry: 29.83, margin: 'inverse', basis: 1_000, basisRate: 0.01, annualizedRate: 0.1224 },
  ],
  state: 'contango',
  stale: false,
};

describe('curve table', () => {
  it('names contracts briefly, keeps every figure, and marks the price source', () => {
    const table = curveTable(curve);
    expect(table).toMatchObject({ kind: 'table', title: 'binance: contango' });
    if (table.kind !== 'table') throw new Error('not a table');
    expect(table.head).toEqual(['Contract', 'Days', 'Price', 'Src', 'Basis', 'Rate', 'Ann.']);
    expect(table.rows[0]).toEqual(['spot USDT', '', '100,000.0', 'mid', '', '', '']);
    expect(table.rows[1]).toEqual(['perp USDT', '', '100,050.0', 'mid', '+50.0', '+0.050%', '+21.90%']);
    expect(table.rows[2]).toEqual(['25Dec26 inv', '30 d', '101,000.0', 'mark', '+1,000.0', '+1.000%', '+12.24%']);
  });

  it('states funding per interval, per 8h when the interval differs, annualized and next time', () => {
    expect(fundingLine(curve)).toBe(
      'binance funding on BTC/USDT:USDT: +0.0100% per 4h (+0.0200% per 8h), +21.90% a year, next 16:00 UTC.',
    );
    expect(fundingLine({ ...curve, perp: null })).toBeUndefined();
  });
});
