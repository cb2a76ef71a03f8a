import { describe, expect, it } from 'vitest';
import { compareCarry } from '../../src/basis/carry.js';
import { executeCarry, walkBook, type Book } from '../../src/basis/execution.js';
import { constantMaturity, extremes, mean, percentileRank } from '../../src/basis/history.js';

describe('constantMaturity', () => {
  it('interpolates linearly in days between the contracts around 30 days', () => {
    // 20 d at 4%, 50 d at 7%: 4% + 3% x (30-20)/(50-20) = 5%.
    const cm = constantMaturity([{ days: 50, annualized: 0.07 }, { days: 20, annualized: 0.04 }, { days: 90, annualized: 0.1 }]);
    expect(cm?.method).toBe('interpolated');
    expect(cm?.annualized).toBeCloseTo(0.05, 12);
    expect(cm?.from.map((p) => p.days)).toEqual([20, 50]);
  });

  it('uses a single contract as it is, and says so', () => {
    const cm = constantMaturity([{ days: 85, annualized: 0.08 }]);
    expect(cm).toMatchObject({ method: 'single-contract', annualized: 0.08 });
  });

  it('takes the nearest contract when all sit on one side, never a slope beyond the ends', () => {
    expect(constantMaturity([{ days: 40, annualized: 0.06 }, { days: 130, annualized: 0.09 }])).toMatchObject({ method: 'nearest', annualized: 0.06 });
    expect(constantMaturity([{ days: 3, annualized: 0.02 }, { days: 10, annualized: 0.03 }])).toMatchObject({ method: 'nearest', annualized: 0.03 });
  });

  it('reads a contract exactly on the target', () => {
    expect(constantMaturity([{ days: 30, annualized: 0.05 }, { days: 60, annualized: 0.07 }])).toMatchObject({ method: 'exact', annualized: 0.05 });
  });

  it('ignores contracts at or past expiry (zero or negative days)', () => {
    expect(constantMaturity([{ days: 0, annualized: 0.5 }, { days: -2, annualized: 0.9 }])).toBeUndefined();
    expect(constantMaturity([{ days: 0, annualized: 0.5 }, { days: 45, annualized: 0.06 }])).toMatchObject({ method: 'single-contract', annualized: 0.06 });
  });
});

describe('percentileRank, extremes, mean', () => {
  it('ranks today as the percent of the window at or below it', () => {
    expect(percentileRank([1, 2, 3, 4], 3)).toBe(75);
    expect(percentileRank([1, 2, 3, 4], 4)).toBe(100);
    expect(percentileRank([1, 2, 3, 4], 0.5)).toBe(0);
    expect(percentileRank([], 1)).toBeUndefined();
  });

  it('finds the highest and lowest with their dates, the earliest on a tie', () => {
    const series = [
      { date: '2026-11-01', value: 0.05 },
      { date: '2026-11-02', value: 0.08 },
      { date: '2026-11-03', value: 0.02 },
      { date: '2026-11-04', value: 0.08 },
    ];
    expect(extremes(series)).toEqual({ highest: series[1], lowest: series[2] });
    expect(extremes([])).toBeUndefined();
  });

  it('averages finite values only', () => {
    expect(mean([0.1, 0.2, Number.NaN, 0.3])).toBeCloseTo(0.2, 12);
    expect(mean([])).toBeUndefined();
  });
});

describe('compareCarry', () => {
  it('contango: locking 10%/yr beats rolling at 5% funding, break-even at 10%', () => {
    // F = 101, S = 100, 36.5 days: basis rate 1%, annualized 1% x 365/36.5 = 10%.
    const result = compareCarry({ spot: 100, future: 101, daysToExpiry: 36.5, fundingNow: 0.05, fundingTrailing: 0.12 })!;
    expect(result.direction).toBe('cash-and-carry');
    expect(result.lockedAnnualized).toBeCloseTo(0.1, 12);
    expect(result.lockedToExpiry).toBeCloseTo(0.01, 12);
    expect(result.now.annualized).toBeCloseTo(0.05, 12);
    expect(result.now.advantageAnnualized).toBeCloseTo(0.05, 12);
    // 5%/yr over 36.5 days = 0.5% of notional.
    expect(result.now.advantageToExpiry).toBeCloseTo(0.005, 12);
    expect(result.now.better).toBe('future');
    // At 12% trailing funding the perp pays 2%/yr more.
    expect(result.trailing?.better).toBe('perp');
    expect(result.trailing?.advantageAnnualized).toBeCloseTo(-0.02, 12);
    expect(result.breakEvenFunding).toBeCloseTo(0.1, 12);
  });

  it('backwardation: reverse carry subtracts borrow from both hedges, the break-even does not move', () => {
    // F = 98, S = 100, 73 days: -2% x 365/73 = -10%/yr. Borrow 3%: locked 10% - 3% = 7%.
    // Funding -4%: long perp receives 4%, minus borrow 3% = 1%.
    const result = compareCarry({ spot: 100, future: 98, daysToExpiry: 73, fundingNow: -0.04, borrowApr: 0.03 })!;
    expect(result.direction).toBe('reverse cash-and-carry');
    expect(result.lockedAnnualized).toBeCloseTo(0.07, 12);
    expect(result.now.annualized).toBeCloseTo(0.01, 12);
    expect(result.now.advantageAnnualized).toBeCloseTo(0.06, 12);
    expect(result.breakEvenFunding).toBeCloseTo(-0.1, 12);
    expect(result.borrowApr).toBe(0.03);
    // At the break-even the two hedges pay the same.
    expect(compareCarry({ spot: 100, future: 98, daysToExpiry: 73, fundingNow: -0.1, borrowApr: 0.03 })!.now.better).toBe('equal');
    expect(result.trailing).toBeUndefined();
  });

  it('charges no borrow on a long spot leg, and has nothing to lock at or past expiry', () => {
    expect(compareCarry({ spot: 100, future: 101, daysToExpiry: 36.5, fundingNow: 0, borrowApr: 0.2 })!.lockedAnnualized).toBeCloseTo(0.1, 12);
    expect(compareCarry({ spot: 100, future: 101, daysToExpiry: 0, fundingNow: 0 })).toBeUndefined();
    expect(compareCarry({ spot: 100, future: 101, daysToExpiry: -1, fundingNow: 0 })).toBeUndefined();
  });
});

describe('walkBook', () => {
  const asks: [number, number][] = [[100, 1], [101, 2], [103, 5]];

  it('fills a money target across levels: 250 = 100 x 1 + 101 x 1.4851…', () => {
    const fill = walkBook(asks, { quote: 250 });
    expect(fill.quote).toBeCloseTo(250, 9);
    expect(fill.base).toBeCloseTo(1 + 150 / 101, 12);
    expect(fill.levels).toBe(2);
    expect(fill.complete).toBe(true);
  });

  it('fills a coin target: 2 coins = 100 + 101, vwap 100.5', () => {
    expect(walkBook(asks, { base: 2 })).toMatchObject({ base: 2, quote: 201, vwap: 100.5, levels: 2, complete: true });
  });

  it('says how much a book too thin for the size could fill', () => {
    // 100 + 202 + 515 = 817 is all there is.
    expect(walkBook(asks, { quote: 1000 })).toMatchObject({ base: 8, quote: 817, complete: false, levels: 3 });
  });
});

describe('executeCarry', () => {
  const spot: Book = { bids: [[99.9, 10]], asks: [[100.1, 3], [100.3, 10]] };
  const future: Book = { bids: [[101.9, 2], [101.7, 10]], asks: [[102.1, 10]] };

  it('cash-and-carry: buys spot at the asks, sells the future at the bids (hand walk)', () => {
    // Spot: 500 USD = 3 x 100.1 (300.3) + 199.7 / 100.3 = 1.99102… coins; 4.99102 coins, vwap 500 / 4.99102 = 100.1798.
    // Future: 4.99102 coins = 2 x 101.9 + 2.99102 x 101.7; vwap = (203.8 + 304.187) / 4.99102 = 101.7801.
    const result = executeCarry({ direction: 'cash-and-carry', spot, future, notional: 500, daysToExpiry: 36.5, spotTakerFee: 0.001, futureTakerFee: 0.0005 })!;
    const coins = 3 + 199.7 / 100.3;
    const spotVwap = 500 / coins;
    const futureVwap = (203.8 + (coins - 2) * 101.7) / coins;
    expect(result.spotLeg.fill.base).toBeCloseTo(coins, 10);
    expect(result.spotLeg.fill.vwap).toBeCloseTo(spotVwap, 10);
    expect(result.futureLeg.fill.vwap).toBeCloseTo(futureVwap, 10);
    // Mids 100 and 102: quoted 2% x 365/36.5 = 20%/yr.
    expect(result.quotedAnnualized).toBeCloseTo(0.2, 10);
    expect(result.executableAnnualized).toBeCloseTo(((futureVwap - spotVwap) / spotVwap) * 10, 10);
    expect(result.spotLeg.slippageBps).toBeCloseTo(((spotVwap - 100) / 100) * 1e4, 8);
    expect(result.futureLeg.slippageBps).toBeCloseTo(((102 - futureVwap) / 102) * 1e4, 8);
    expect(result.fees).toBeCloseTo(500 * 0.001 + coins * futureVwap * 0.0005, 10);
    const net = ((futureVwap - spotVwap) / spotVwap - 0.001 - (0.0005 * futureVwap) / spotVwap) * 10;
    expect(result.netAnnualized).toBeCloseTo(net, 10);
    expect(result.complete).toBe(true);
  });

  it('reverse: sells spot at the bids, buys the future at the asks', () => {
    const back: Book = { bids: [[97.9, 10]], asks: [[98.1, 10]] };
    const result = executeCarry({ direction: 'reverse cash-and-carry', spot, future: back, notional: 499.5, daysToExpiry: 36.5, spotTakerFee: 0, futureTakerFee: 0 })!;
    // 499.5 / 99.9 = 5 coins sold at 99.9, bought back at 98.1: (99.9 - 98.1) / 99.9 x 10.
    expect(result.spotLeg.fill.base).toBeCloseTo(5, 12);
    expect(result.netAnnualized).toBeCloseTo((1.8 / 99.9) * 10, 10);
    expect(result.executableAnnualized).toBeCloseTo((-1.8 / 99.9) * 10, 10);
  });

  it('a thin future book limits the size and says what could fill', () => {
    const thin: Book = { bids: [[101.9, 1]], asks: [[102.1, 1]] };
    const result = executeCarry({ direction: 'cash-and-carry', spot, future: thin, notional: 500, daysToExpiry: 36.5, spotTakerFee: 0, futureTakerFee: 0 })!;
    expect(result.complete).toBe(false);
    // Only 1 coin can be hedged: spot for 1 coin costs 100.1.
    expect(result.fillableNotional).toBeCloseTo(100.1, 10);
  });

  it('nothing to execute at or past expiry; a one-sided book is refused', () => {
    expect(executeCarry({ direction: 'cash-and-carry', spot, future, notional: 100, daysToExpiry: 0, spotTakerFee: 0, futureTakerFee: 0 })).toBeUndefined();
    expect(() => executeCarry({ direction: 'cash-and-carry', spot: { bids: [], asks: spot.asks }, future, notional: 100, daysToExpiry: 5, spotTakerFee: 0, futureTakerFee: 0 })).toThrow(RangeError);
  });
});
