/**
 * The edge trigger with hysteresis, per venue track. Pure and allocation-free: the evaluator
 * runs it for every rule and venue on every tick (a million rules must fit in a second).
 *
 * A threshold rule is armed from one side (`from`). It fires when the value goes past the
 * threshold from that side, and re-arms only once the value is back past the threshold by the
 * band, so a value wobbling around the threshold sends one message, not one per tick.
 * `crosses` is armed from whichever side the value last settled on (by the band), so it fires
 * on a crossing in either direction. `state` fires when a curve flips between contango and
 * backwardation; flat or mixed in between neither fires nor forgets the last side.
 */
import type { MarketState } from '../market/types.js';
import type { Direction, Track } from './types.js';

/** The part of a rule the machine reads. */
export interface TriggerSpec {
  direction?: Direction;
  threshold?: number;
  band: number;
}

export const UNCHANGED = 0;
/** The track changed (re-armed, fired): persist it. */
export const CHANGED = 1;
/** A crossing: the track fired (CHANGED is set too). */
export const FIRED = 3;

const armsBelow = (direction: Direction | undefined): boolean => direction !== 'below';
const armsAbove = (direction: Direction | undefined): boolean => direction !== 'above';

/** Whether the rule's condition holds at `value` (the add reply says so when it already does). */
export function conditionHolds(spec: TriggerSpec, value: number): boolean {
  const threshold = spec.threshold ?? 0;
  if (spec.direction === 'above') return value > threshold;
  if (spec.direction === 'below') return value < threshold;
  return false;
}

/**
 * The track of a value seen for the first time (a new rule, a venue that just appeared): armed
 * on the side the value is on, so a rule whose condition already holds counts as fired and the
 * next message needs a real crossing. `crosses` arms from its current side.
 */
export function initialTrack(spec: TriggerSpec, value: number): Track {
  const threshold = spec.threshold ?? 0;
  // Every track has both fields (undefined when unset): one object shape keeps the tick's property reads monomorphic.
  if (value <= threshold && armsBelow(spec.direction)) return { from: 'below', state: undefined };
  if (value >= threshold && armsAbove(spec.direction)) return { from: 'above', state: undefined };
  return { from: undefined, state: undefined };
}

/**
 * One observation of a threshold rule. `canFire` is false while the rule cools down: a
 * crossing then leaves the track untouched, so it fires once the cooldown ends if the value is
 * still past the threshold (deferred, not lost).
 */
export function stepThreshold(track: Track, spec: TriggerSpec, value: number, canFire: boolean): number {
  const threshold = spec.threshold ?? 0;
  const crossed = (track.from === 'below' && value > threshold) || (track.from === 'above' && value < threshold);
  if (crossed && !canFire) return UNCHANGED;
  const before = track.from;
  if (crossed) track.from = undefined;
  if (value <= threshold - spec.band && armsBelow(spec.direction)) track.from = 'below';
  else if (value >= threshold + spec.band && armsAbove(spec.direction)) track.from = 'above';
  if (crossed) return FIRED;
  return track.from === before ? UNCHANGED : CHANGED;
}

/** The state track of a curve seen for the first time: remembers its side, never fires. */
export function initialStateTrack(state: MarketState | undefined): Track {
  return { from: undefined, state: state === 'contango' || state === 'backwardation' ? state : undefined };
}

/** One observation of a `state` rule: fires on contango ⇄ backwardation. */
export function stepState(track: Track, state: MarketState | undefined, canFire: boolean): number {
  if (state !== 'contango' && state !== 'backwardation') return UNCHANGED;
  if (track.state === state) return UNCHANGED;
  if (track.state === undefined) {
    track.state = state;
    return CHANGED;
  }
  if (!canFire) return UNCHANGED;
  track.state = state;
  return FIRED;
}

/** Whether the rule is past its cooldown. */
export function cooledDown(lastFiredAt: number | undefined, cooldownMs: number, now: number): boolean {
  return lastFiredAt === undefined || now - lastFiredAt >= cooldownMs;
}
