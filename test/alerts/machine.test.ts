import { describe, expect, it } from 'vitest';
import { CHANGED, cooledDown, FIRED, initialTrack, stepState, stepThreshold, UNCHANGED, type TriggerSpec } from '../../src/alerts/machine.js';
import type { Track } from '../../src/alerts/types.js';

/** Feeds values to a fresh track (initialised on the first) and returns which steps fired. */
function run(spec: TriggerSpec, values: number[], canFire: (index: number) => boolean = () => true): number[] {
  const track: Track = initialTrack(spec, values[0]);
  const fired: number[] = [];
  values.slice(1).forEach((value, index) => {
    if (stepThreshold(track, spec, value, canFire(index + 1)) === FIRED) fired.push(index + 1);
  });
  return fired;
}

describe('alert trigger: hysteresis, cooldown, crosses, state flips', () => {
  const above: TriggerSpec = { direction: 'above', threshold: 0, band: 0.01 };

  it('fires once when the value goes above, not again while it wobbles inside the band', () => {
    expect(run(above, [-0.05, 0.01, -0.005, 0.002, -0.009, 0.03])).toEqual([1]);
  });

  it('re-arms once the value is back past the threshold by the band, then fires again', () => {
    expect(run(above, [-0.05, 0.01, -0.01, 0.001])).toEqual([1, 3]);
  });

  it('a rule whose condition holds at the start counts as fired: it needs a real crossing', () => {
    expect(initialTrack(above, 0.02)).toEqual({});
    expect(run(above, [0.02, 0.03, -0.005, 0.01])).toEqual([]);
    expect(run(above, [0.02, -0.02, 0.01])).toEqual([2]);
  });

  it('below mirrors above', () => {
    expect(run({ direction: 'below', threshold: -0.01, band: 0.001 }, [0, -0.011, -0.0095, -0.02, -0.008, -0.012])).toEqual([1, 5]);
  });

  it('crosses fires in either direction, each after the band', () => {
    const crosses: TriggerSpec = { direction: 'crosses', threshold: 0.05, band: 0.01 };
    // up (fires), wobble, settle above by the band, down (fires), wobble, up without settling: nothing.
    expect(run(crosses, [0.03, 0.051, 0.049, 0.07, 0.049, 0.051, 0.045])).toEqual([1, 4]);
  });

  it('during a cooldown a crossing is deferred, not lost: it fires when the cooldown ends if still true', () => {
    const track: Track = initialTrack(above, -0.02);
    expect(stepThreshold(track, above, 0.01, false)).toBe(UNCHANGED);
    expect(track).toEqual({ from: 'below' });
    expect(stepThreshold(track, above, 0.01, true)).toBe(FIRED);
    expect(stepThreshold(track, above, -0.02, true)).toBe(CHANGED);
  });

  it('cooledDown compares against the last firing', () => {
    expect(cooledDown(undefined, 60_000, 0)).toBe(true);
    expect(cooledDown(1_000, 60_000, 60_999)).toBe(false);
    expect(cooledDown(1_000, 60_000, 61_000)).toBe(true);
  });

  it('state fires on contango ⇄ backwardation only; flat and mixed in between are ignored', () => {
    const track: Track = { state: 'contango' };
    expect(stepState(track, 'flat', true)).toBe(UNCHANGED);
    expect(stepState(track, 'mixed', true)).toBe(UNCHANGED);
    expect(stepState(track, 'contango', true)).toBe(UNCHANGED);
    expect(stepState(track, 'backwardation', false)).toBe(UNCHANGED);
    expect(stepState(track, 'backwardation', true)).toBe(FIRED);
    expect(stepState(track, 'flat', true)).toBe(UNCHANGED);
    expect(stepState(track, 'contango', true)).toBe(FIRED);
    const fresh: Track = {};
    expect(stepState(fresh, 'backwardation', true)).toBe(CHANGED);
    expect(fresh.state).toBe('backwardation');
  });
});
