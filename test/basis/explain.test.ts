import { describe, expect, it } from 'vitest';
import { explainState, summarizeCurves, type StateSummary } from '../../src/basis/explain.js';
import { annualizedBasis, basis, basisRate } from '../../src/basis/math.js';
import { classifyCurve } from '../../src/basis/state.js';
import type { FutureLeg, PerpLeg, VenueCurve, VenueId } from '../../src/market/types.js';

const AS_OF = '2026-03-01T00:00:00.000Z';
const leg = { timestamp: AS_OF, ageMs: 500, stale: false, priceSource: 'mid' as const };

function future(spot: number, price: number, days: number, symbol: string, stale = false): FutureLeg {
  const rate = basisRate(price, spot);
  const expiry = new Date(Date.parse(AS_OF) + days * 86_400_000).toISOString();
  return {
    ...leg, stale, symbol, price, expiry, daysToExpiry: days, margin: 'linear',
    basis: basis(price, spot), basisRate: rate, annualizedRate: annualizedBasis(rate, days) ?? Number.NaN,
  };
}

function perp(spot: number, price: number, fundingRate: number): PerpLeg {
  const funding = { rate: fundingRate, intervalHours: 8, annualizedRate: fundingRate * 1095, ratePer8h: fundingRate, nextFundingTime: null };
  return { ...leg, symbol: 'BTC/USDT:USDT', price, premiumRate: basisRate(price, spot), funding };
}

/** A curve whose state comes from the real classifier, as market/curve.ts will build it. */
function curve(venue: VenueId, spot: number, futures: [price: number, days: number][], perpLeg?: PerpLeg, staleDays?: number): VenueCurve {
  const legs = futures.map(([price, days]) => future(spot, price, days, `BTC/USDT:USDT-${days}d`, days === staleDays));
  return {
    venue, asset: 'BTC', asOf: AS_OF, stale: false,
    spot: { ...leg, symbol: 'BTC/USDT', price: spot },
    perp: perpLeg ?? null,
    futures: legs,
    state: classifyCurve(legs, perpLeg?.premiumRate),
  };
}

const text = (summary: StateSummary) => explainState(summary).join('\n');

describe('contango', () => {
  // 90-day contract: (102,000 - 100,000) / 100,000 = 2.00% to expiry; 2% x 365 / 90 = 8.11% annualized.
  // 30-day contract: 0.5% x 365 / 30 = 6.08% annualized, so the 90-day is the best.
  const curves = [curve('binance', 100_000, [[100_500, 30], [102_000, 90]], perp(100_000, 100_050, 0.0001))];
  const summary = summarizeCurves(curves);
  const words = text(summary);

  it('picks the best contract by annualized return', () => {
    expect(summary.state).toBe('contango');
    expect(summary.bestContango?.symbol).toBe('BTC/USDT:USDT-90d');
    expect(summary.bestContango?.annualizedReturn).toBeCloseTo(0.0811111, 6);
  });

  it('says what contango means, the trade, and the numbers', () => {
    expect(words).toMatch(/in contango: futures trade above spot/);
    expect(words).toMatch(/cash-and-carry: buy spot and sell the future/);
    expect(words).toContain('BTC/USDT:USDT-90d on binance');
    expect(words).toContain('+2.00% by expiry');
    expect(words).toContain('+8.11% annualized');
    expect(words).toContain('2026-05-30');
  });

  it('names the risks, without borrow (there is no short spot leg)', () => {
    expect(words).toMatch(/funding/i);
    expect(words).toMatch(/basis risk/i);
    expect(words).toMatch(/deleverag/);
    expect(words).toMatch(/liquidation/i);
    expect(words).toContain('per 8h is +0.0100% on binance');
    expect(words).not.toMatch(/borrow availability/i);
    expect(words).not.toMatch(/squeeze/i);
  });

  it('is plain text', () => {
    expect(words).not.toMatch(/[*_`<>]/);
    expect(explainState(summary).every((p) => p.trim() === p && p.length > 0)).toBe(true);
  });
});

describe('backwardation', () => {
  // 60-day contract: (100,000 - 99,000) / 100,000 = 1.00% to expiry; 1% x 365 / 60 = 6.08% annualized.
  const mild = summarizeCurves([curve('okx', 100_000, [[99_000, 60]], perp(100_000, 99_990, 0.00005))]);
  const words = text(mild);

  it('says what backwardation means and the reverse trade with its numbers', () => {
    expect(mild.state).toBe('backwardation');
    expect(words).toMatch(/in backwardation: spot trades above futures/);
    expect(words).toMatch(/immediate demand/);
    expect(words).toMatch(/converges toward spot/);
    expect(words).toMatch(/reverse cash-and-carry: buy the cheaper future and sell \(borrow\) spot/);
    expect(words).toContain('+1.00% by expiry');
    expect(words).toContain('+6.08% annualized');
    expect(words).toContain('on okx');
  });

  it('adds the borrow risk of the short spot leg, but no squeeze while funding is positive', () => {
    expect(words).toMatch(/borrow availability and cost/i);
    expect(words).not.toMatch(/squeeze/i);
  });

  it('names a possible supply squeeze when the front is steep and funding negative', () => {
    // 10-day contract: -0.5% x 365 / 10 = -18.25% annualized, funding -0.02% per 8h.
    const steep = summarizeCurves([curve('bybit', 100_000, [[99_500, 10], [98_000, 60]], perp(100_000, 99_900, -0.0002))]);
    expect(steep.squeeze.map((s) => s.venue)).toEqual(['bybit']);
    expect(text(steep)).toMatch(/possible supply squeeze/i);
    expect(text(steep)).toContain('front contract at -18.25% annualized on bybit');
  });
});

describe('flat', () => {
  it('says no carry is worth the fees and recommends no trade', () => {
    // 0.1% x 365 / 90 = 0.41% annualized, inside the 1% band.
    const summary = summarizeCurves([curve('deribit', 100_000, [[100_100, 90]], perp(100_000, 100_005, 0.00001))]);
    const words = text(summary);
    expect(summary.state).toBe('flat');
    expect(words).toMatch(/is flat/);
    expect(words).toContain('±1.00%');
    expect(words).toMatch(/no carry worth the fees/);
    expect(words).not.toMatch(/cash-and-carry|liquidation/);
  });
});

describe('mixed', () => {
  it('names the part of the curve in each state and the kink', () => {
    // front 10 d: -0.3% x 365 / 10 = -10.95%; back 90 d: +2% x 365 / 90 = +8.11%
    const summary = summarizeCurves([curve('binance', 100_000, [[99_700, 10], [102_000, 90]])]);
    const words = text(summary);
    expect(summary.state).toBe('mixed');
    expect(words).toMatch(/front of the curve \(nearest contract, 10 d\) is in backwardation/);
    expect(words).toMatch(/back \(farthest, 90 d\) is in contango/);
    expect(words).toMatch(/kinked/);
    // Both trades are worth naming, each with its own best contract.
    expect(words).toMatch(/cash-and-carry: buy spot/);
    expect(words).toMatch(/reverse cash-and-carry: buy the cheaper future/);
  });

  it('says which venues disagree', () => {
    const summary = summarizeCurves([
      curve('binance', 100_000, [[102_000, 90]]),
      curve('okx', 100_000, [[100_050, 90]]),
    ]);
    expect(summary.state).toBe('mixed');
    expect(text(summary)).toMatch(/binance is in contango, okx is flat/);
    expect(text(summary)).not.toMatch(/kinked/);
  });

  it('locates the kink on the venue whose own curve bends', () => {
    const summary = summarizeCurves([
      curve('binance', 100_000, [[99_700, 10], [102_000, 90]]),
      curve('okx', 100_000, [[100_050, 90]]),
    ]);
    expect(summary.kinks.map((k) => k.venue)).toEqual(['binance']);
    expect(text(summary)).toMatch(/On binance, the front of the curve \(nearest contract, 10 d\) is in backwardation while the back \(farthest, 90 d\) is in contango/);
    expect(text(summary)).toMatch(/binance is mixed, okx is flat/);
  });

  it('says it once for venues whose curves bend the same way', () => {
    const summary = summarizeCurves([
      curve('okx', 100_000, [[99_700, 10], [102_000, 90]]),
      curve('bybit', 100_000, [[99_650, 12], [102_500, 120]]),
    ]);
    const words = text(summary);
    expect(words).toMatch(/On okx, bybit, the front of the curve is in backwardation while the back is in contango/);
    expect(words.match(/kinked/g)).toHaveLength(1);
  });
});

describe('summarizeCurves', () => {
  it('prefers fresh legs over a stale outlier', () => {
    // The stale 30-day contract would annualize to 5% x 365 / 30 = 60.8%.
    const summary = summarizeCurves([curve('binance', 100_000, [[105_000, 30], [102_000, 90]], undefined, 30)]);
    expect(summary.bestContango?.symbol).toBe('BTC/USDT:USDT-90d');
  });

  it('takes the front from the nearest contract across venues and funding from every perp', () => {
    const summary = summarizeCurves([
      curve('binance', 100_000, [[102_000, 90]], perp(100_000, 100_020, 0.0001)),
      curve('okx', 100_000, [[100_800, 20]], perp(100_000, 100_010, -0.00005)),
    ]);
    expect(summary.front).toMatchObject({ venue: 'okx', daysToExpiry: 20 });
    expect(summary.fundingPer8h.map((f) => f.venue)).toEqual(['binance', 'okx']);
    expect(text(summary)).toContain('from -0.0050% on okx to +0.0100% on binance');
  });

  it('explains a perp-only venue from its premium', () => {
    // premium (100,100 - 100,000) / 100,000 = 0.1%, above the 0.05% perp band
    const summary = summarizeCurves([curve('bybit', 100_000, [], perp(100_000, 100_100, 0.0003))]);
    const words = text(summary);
    expect(summary.state).toBe('contango');
    expect(words).toMatch(/No dated futures are listed here; the perpetual trades at \+0\.100% on bybit/);
    expect(words).toMatch(/No dated future here offers a carry/);
  });
});
