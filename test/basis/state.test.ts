import { describe, expect, it } from 'vitest';
import {
  classifyAcrossVenues,
  classifyCurve,
  classifyValue,
  curveShape,
  isSupplySqueeze,
  meaningfulPoints,
} from '../../src/basis/state.js';

const point = (annualizedRate: number, daysToExpiry: number) => ({ annualizedRate, daysToExpiry });

describe('classifyCurve', () => {
  it('contango when every meaningful contract is above the band', () => {
    expect(classifyCurve([point(0.05, 7), point(0.08, 90), point(0.1, 180)])).toBe('contango');
  });

  it('backwardation when every meaningful contract is below minus the band', () => {
    expect(classifyCurve([point(-0.03, 7), point(-0.02, 90)])).toBe('backwardation');
  });

  it('flat when every contract is inside the band', () => {
    expect(classifyCurve([point(0.004, 7), point(-0.009, 90)])).toBe('flat');
  });

  it('mixed when the curve has more than one shape, including contango next to flat', () => {
    expect(classifyCurve([point(-0.05, 7), point(0.06, 90)])).toBe('mixed');
    expect(classifyCurve([point(0.005, 7), point(0.06, 90)])).toBe('mixed');
  });

  it('exactly on the band counts as outside it', () => {
    expect(classifyCurve([point(0.01, 30)])).toBe('contango');
    expect(classifyCurve([point(-0.01, 30)])).toBe('backwardation');
    expect(classifyCurve([point(0.0099999, 30)])).toBe('flat');
  });

  it('one contract decides alone', () => {
    expect(classifyCurve([point(0.2, 30)])).toBe('contango');
  });

  it('ignores contracts under a day and non-finite rates', () => {
    // The 0.3-day contract annualizes a tiny gap into -40%: it must not make the curve mixed.
    expect(classifyCurve([point(-0.4, 0.3), point(0.05, 30), point(Number.NaN, 60)])).toBe('contango');
  });

  it('falls back to the perp premium when no future is meaningful, else flat', () => {
    expect(classifyCurve([], 0.0008)).toBe('contango');
    expect(classifyCurve([], -0.0008)).toBe('backwardation');
    expect(classifyCurve([], 0.0002)).toBe('flat');
    expect(classifyCurve([point(0.5, 0.2)], -0.001)).toBe('backwardation');
    expect(classifyCurve([])).toBe('flat');
  });

  it('honours custom thresholds', () => {
    expect(classifyCurve([point(0.015, 30)], undefined, { flatBand: 0.02 })).toBe('flat');
    expect(classifyCurve([point(0.05, 0.5)], undefined, { minDaysToExpiry: 0.25 })).toBe('contango');
  });
});

describe('classifyValue and meaningfulPoints', () => {
  it('classifies against a symmetric band', () => {
    expect(classifyValue(0.02, 0.01)).toBe('contango');
    expect(classifyValue(-0.02, 0.01)).toBe('backwardation');
    expect(classifyValue(0, 0.01)).toBe('flat');
  });

  it('keeps contracts of at least one day, nearest first', () => {
    const points = meaningfulPoints([point(0.1, 90), point(0.2, 0.5), point(0.3, 1), point(0.4, 7)]);
    expect(points.map((p) => p.daysToExpiry)).toEqual([1, 7, 90]);
  });
});

describe('classifyAcrossVenues', () => {
  it('agreeing venues give their state', () => {
    expect(classifyAcrossVenues(['backwardation', 'backwardation'])).toBe('backwardation');
    expect(classifyAcrossVenues(['flat'])).toBe('flat');
  });

  it('disagreement gives mixed; no venue gives flat', () => {
    expect(classifyAcrossVenues(['contango', 'flat'])).toBe('mixed');
    expect(classifyAcrossVenues([])).toBe('flat');
  });
});

describe('curveShape', () => {
  it('reports the state at each end of the curve', () => {
    const shape = curveShape([point(0.06, 90), point(-0.05, 7), point(0.02, 30)]);
    expect(shape).toEqual({
      front: { state: 'backwardation', daysToExpiry: 7 },
      back: { state: 'contango', daysToExpiry: 90 },
    });
  });

  it('is undefined without meaningful contracts', () => {
    expect(curveShape([point(0.1, 0.1)])).toBeUndefined();
  });
});

describe('isSupplySqueeze', () => {
  const curve = (front: number, fundingRate: number | null) => ({
    futures: [point(-0.02, 90), point(front, 7)],
    perp: { funding: fundingRate === null ? null : { rate: fundingRate } },
  });

  it('needs steep front backwardation and negative funding together', () => {
    expect(isSupplySqueeze(curve(-0.15, -0.0002))).toBe(true);
    expect(isSupplySqueeze(curve(-0.1, -0.0001))).toBe(true);
  });

  it('is false when either signal is missing', () => {
    expect(isSupplySqueeze(curve(-0.05, -0.0002))).toBe(false);
    expect(isSupplySqueeze(curve(-0.15, 0.0001))).toBe(false);
    expect(isSupplySqueeze(curve(-0.15, 0))).toBe(false);
    expect(isSupplySqueeze(curve(-0.15, null))).toBe(false);
    expect(isSupplySqueeze({ futures: [point(-0.3, 7)], perp: null })).toBe(false);
    expect(isSupplySqueeze({ futures: [], perp: { funding: { rate: -0.001 } } })).toBe(false);
  });

  it('judges the front by the nearest meaningful contract, not one about to expire', () => {
    const squeezeOnlyInLastHours = { futures: [point(-0.5, 0.2), point(-0.02, 30)], perp: { funding: { rate: -0.0003 } } };
    expect(isSupplySqueeze(squeezeOnlyInLastHours)).toBe(false);
  });
});
