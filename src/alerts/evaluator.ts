/**
 * The active rules, indexed by asset, and one tick's evaluation of an asset's rules against its
 * CurveSet. No I/O: the service fetches each asset once and hands the set in, so the work per
 * tick is one series extraction per (asset, metric, tenor) plus a few comparisons per rule and
 * venue, linear in the number of rules.
 */
import type { CurveSet } from '../market/types.js';
import { cooledDown, CHANGED, FIRED, initialStateTrack, initialTrack, stepState, stepThreshold, type TriggerSpec } from './machine.js';
import { extractSeries, slotOf, TRACK_SLOTS, type SeriesPoint } from './metrics.js';
import { seriesKey, type AlertRecord, type Direction, type Track } from './types.js';

/**
 * What the tick reads of a rule, in one class so every read is monomorphic: stored specs come in
 * several shapes (optional fields omitted), and a million reads of differently shaped objects
 * cost several times more than reads of one shape.
 */
class HotRule implements TriggerSpec {
  readonly direction: Direction | undefined;
  readonly threshold: number;
  readonly band: number;
  readonly venue: string | undefined;
  readonly cooldownMs: number;
  readonly isState: boolean;
  readonly expiresAt: number;
  /** The rule's tracks by TRACK_SLOTS position: the same objects as `rule.tracks`, found by index. */
  readonly tracks: (Track | undefined)[] = new Array<Track | undefined>(TRACK_SLOTS.length).fill(undefined);
  /** Mirrors rule.lastFiredAt (the tick reads it here, one pointer fewer per rule). */
  lastFiredAt: number | undefined;

  constructor(readonly rule: AlertRecord) {
    const { spec } = rule;
    this.direction = spec.direction;
    this.threshold = spec.threshold ?? 0;
    this.band = spec.band;
    this.venue = spec.venue;
    this.cooldownMs = spec.cooldownMs;
    this.isState = spec.metric === 'state';
    this.expiresAt = rule.expiresAt ?? Number.POSITIVE_INFINITY;
    this.lastFiredAt = rule.lastFiredAt;
    // Tracks loaded from the store lost their undefined fields: give them back the one shape.
    for (const key of Object.keys(rule.tracks)) {
      const track: Track = { from: rule.tracks[key].from, state: rule.tracks[key].state };
      rule.tracks[key] = track;
      if (slotOf(key) >= 0) this.tracks[slotOf(key)] = track;
    }
  }
}

/** The rules reading one series of one asset, in an array (a tick walks it without allocating). */
interface Group {
  rules: HotRule[];
  /** Rule id → position, so removal is a swap with the last (O(1)). */
  positions: Map<number, number>;
}

export interface Crossing {
  rule: AlertRecord;
  /** Every venue (or the spread) that crossed on this tick. */
  points: SeriesPoint[];
}

export interface AssetTick {
  fired: Crossing[];
  /** Rules whose tracks changed (re-armed, first seen): persist them. */
  changed: AlertRecord[];
  /** Dated-contract rules whose contract expired. */
  expired: AlertRecord[];
}

export class RuleIndex {
  /** asset → seriesKey → rules: one series extraction serves every rule in the group. */
  private readonly byAsset = new Map<string, Map<string, Group>>();
  private count = 0;

  add(rule: AlertRecord): void {
    let groups = this.byAsset.get(rule.spec.asset);
    if (!groups) this.byAsset.set(rule.spec.asset, (groups = new Map()));
    const key = seriesKey(rule.spec);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { rules: [], positions: new Map() }));
    if (group.positions.has(rule.id)) return;
    group.positions.set(rule.id, group.rules.length);
    group.rules.push(new HotRule(rule));
    this.count += 1;
  }

  remove(rule: AlertRecord): void {
    const groups = this.byAsset.get(rule.spec.asset);
    const key = seriesKey(rule.spec);
    const group = groups?.get(key);
    const position = group?.positions.get(rule.id);
    if (!groups || !group || position === undefined) return;
    const last = group.rules.pop()!;
    if (last.rule !== rule) {
      group.rules[position] = last;
      group.positions.set(last.rule.id, position);
    }
    group.positions.delete(rule.id);
    this.count -= 1;
    if (group.rules.length === 0) groups.delete(key);
    if (groups.size === 0) this.byAsset.delete(rule.spec.asset);
  }

  /** Assets with at least one active rule: what a tick fetches, once each. */
  assets(): string[] {
    return [...this.byAsset.keys()];
  }

  size(): number {
    return this.count;
  }

  /** Runs every active rule on `asset` against its curves at `now`; mutates the rules' tracks. */
  evaluate(asset: string, set: CurveSet, now: number): AssetTick {
    const result: AssetTick = { fired: [], changed: [], expired: [] };
    const groups = this.byAsset.get(asset);
    if (!groups) return result;
    for (const group of groups.values()) {
      const { rules } = group;
      if (rules.length === 0) continue;
      const { spec } = rules[0].rule;
      const points = extractSeries(set, spec.metric, spec.tenor, true);
      for (let i = 0; i < rules.length; i += 1) {
        const hot = rules[i];
        if (now >= hot.expiresAt) {
          result.expired.push(hot.rule);
          continue;
        }
        const outcome = evaluateHot(hot, points, now);
        if (outcome === undefined) continue;
        if (outcome === true) result.changed.push(hot.rule);
        else result.fired.push({ rule: hot.rule, points: outcome });
      }
    }
    return result;
  }
}

/**
 * One rule against its series: undefined when nothing changed, true when only its tracks
 * changed, or the points that crossed (the rule's lastFiredAt is then `now`). A venue missing
 * from the series this tick (failed, delisted) keeps its track as it was.
 */
function evaluateHot(hot: HotRule, points: readonly SeriesPoint[], now: number): SeriesPoint[] | true | undefined {
  const canFire = cooledDown(hot.lastFiredAt, hot.cooldownMs, now);
  let changed = false;
  let fired: SeriesPoint[] | undefined;
  for (let i = 0; i < points.length; i += 1) {
    const point = points[i];
    if (hot.venue !== undefined && point.key !== hot.venue) continue;
    const track = hot.tracks[point.slot];
    if (track === undefined) {
      // First sight of this venue: remember its side without firing (the rule is about becoming true).
      const first = hot.isState ? initialStateTrack(point.state) : initialTrack(hot, point.value);
      hot.tracks[point.slot] = first;
      hot.rule.tracks[point.key] = first;
      changed = true;
      continue;
    }
    const step = hot.isState ? stepState(track, point.state, canFire) : stepThreshold(track, hot, point.value, canFire);
    if (step === FIRED) (fired ??= []).push(point);
    else if (step === CHANGED) changed = true;
  }
  if (fired) {
    hot.lastFiredAt = now;
    hot.rule.lastFiredAt = now;
    return fired;
  }
  return changed ? true : undefined;
}
