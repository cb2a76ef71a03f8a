/**
 * Where alerts live between restarts, shared by every replica on one store. Each rule is two
 * records, split by who writes them so no replica overwrites another's news:
 * - the rule (`alerts`): owner, target, spec, status; written by /alert on any replica;
 * - its crossing state (`alerts-state`): tracks, last fired, pending crossings; written only by
 *   the replica running the tick (the lease holder), all in one value so a crossing and the
 *   state that produced it are written together.
 * Ids come from a counter moved by compare-and-set, so two replicas answering `/alert add` at
 * once never hand out the same id, and a change feed tells the holder which rules other
 * replicas added, removed, paused or resumed.
 */
import { fetchAndAdd } from '../store/atomic-update.js';
import { ChangeFeed, type ChangesSince } from '../store/change-feed.js';
import type { AtomicStore, AtomicStoreFactory, KeyValueStore } from '../store/index.js';
import type { AlertRecord } from './types.js';

export interface Notice {
  reason: string;
  at: number;
}

/** What the tick writes: everything it remembers about a rule. */
export type CrossingState = Pick<AlertRecord, 'tracks' | 'lastFiredAt' | 'seq' | 'pending'>;
/** What commands write. Records written before the split also hold the state fields: read as a fallback. */
type StoredRule = Omit<AlertRecord, keyof CrossingState> & Partial<CrossingState>;

const stateOf = (rule: AlertRecord): CrossingState => ({
  tracks: rule.tracks,
  seq: rule.seq,
  pending: rule.pending,
  ...(rule.lastFiredAt !== undefined ? { lastFiredAt: rule.lastFiredAt } : {}),
});

function ruleOf(rule: AlertRecord): StoredRule {
  const { tracks: _tracks, lastFiredAt: _last, seq: _seq, pending: _pending, ...stored } = rule;
  return stored;
}

/** The rule as the book keeps it: its record joined with its state (or the legacy fields, or a fresh state). */
function joined(stored: StoredRule, state: CrossingState | undefined): AlertRecord {
  const from = state ?? stored;
  const rule: AlertRecord = { ...ruleOf(stored as AlertRecord), tracks: from.tracks ?? {}, seq: from.seq ?? 0, pending: from.pending ?? [] };
  if (from.lastFiredAt !== undefined) rule.lastFiredAt = from.lastFiredAt;
  return rule;
}

export class AlertRepository {
  private readonly rules: KeyValueStore<StoredRule>;
  private readonly states: AtomicStore<CrossingState>;
  private readonly meta: AtomicStore<unknown>;
  private readonly notices: KeyValueStore<Notice>;
  private readonly feed: ChangeFeed;

  constructor(stores: AtomicStoreFactory) {
    this.rules = stores.open<StoredRule>('alerts');
    this.states = stores.open<CrossingState>('alerts-state');
    this.meta = stores.open<unknown>('alerts-meta');
    this.notices = stores.open<Notice>('alerts-notices');
    this.feed = new ChangeFeed(stores, 'alerts-changes');
  }

  /** Every stored rule, and the change-feed position they reflect (changes after it are news). */
  async load(): Promise<{ rules: AlertRecord[]; seen: number }> {
    // Read the position first: a change made during the scan is replayed, never missed.
    const seen = await this.feed.head();
    const states = new Map<string, CrossingState>();
    // Joined by id: what entries() calls a key differs between backends (namespace prefixes).
    for await (const [key, state] of this.states.entries()) states.set(key.slice(key.lastIndexOf(':') + 1), state);
    const rules: AlertRecord[] = [];
    const legacy: AlertRecord[] = [];
    for await (const [, stored] of this.rules.entries()) {
      const state = states.get(String(stored.id));
      rules.push(joined(stored, state));
      if (!state && stored.tracks) legacy.push(rules[rules.length - 1]);
    }
    // Written before the split: give each its state record, unless a tick wrote one meanwhile,
    // so a later status change (which rewrites the rule alone) cannot drop a pending crossing.
    for (const rule of legacy) await this.states.setIfAbsent(String(rule.id), stateOf(rule));
    return { rules, seen };
  }

  /** One rule as stored now, or undefined when it was removed. */
  async read(id: number): Promise<AlertRecord | undefined> {
    const [stored, state] = await Promise.all([this.rules.get(String(id)), this.states.get(String(id))]);
    return stored && joined(stored, state);
  }

  /**
   * A fresh id, unique across replicas, never reused (an old message's Pause button must not
   * reach a newer rule). `floor`: past every id this replica knows of (stores from before the
   * counter was kept).
   */
  allocateId(floor = 1): Promise<number> {
    return fetchAndAdd(this.meta, 'nextId', 1, floor);
  }

  /** A new rule: its state first, so a reader that finds the rule finds its state too. */
  async insert(rule: AlertRecord): Promise<void> {
    await this.saveState(rule);
    await this.rules.set(String(rule.id), ruleOf(rule));
    await this.feed.publish(String(rule.id));
  }

  /** The rule part (status) changed: any replica may write it; the others hear of it. */
  async saveRule(rule: AlertRecord): Promise<void> {
    await this.rules.set(String(rule.id), ruleOf(rule));
    await this.feed.publish(String(rule.id));
  }

  /** The tick's memory of a rule: written by the replica that runs the tick only. */
  saveState(rule: AlertRecord): Promise<void> {
    return this.states.set(String(rule.id), stateOf(rule));
  }

  /** Saves many rules' state, a bounded number at a time (a tick that re-arms thousands of rules). */
  async saveAll(rules: readonly AlertRecord[], concurrency = 64): Promise<void> {
    for (let start = 0; start < rules.length; start += concurrency) {
      await Promise.all(rules.slice(start, start + concurrency).map((rule) => this.saveState(rule)));
    }
  }

  /** The rule goes first: a reader never finds a rule without its state. */
  async delete(rule: AlertRecord): Promise<void> {
    await this.rules.delete(String(rule.id));
    await this.states.delete(String(rule.id));
    await this.feed.publish(String(rule.id));
  }

  /** Rule ids other replicas changed after `seen`. */
  changesSince(seen: number): Promise<ChangesSince> {
    return this.feed.since(seen);
  }

  setNotice(owner: string, notice: Notice): Promise<void> {
    return this.notices.set(owner, notice);
  }

  /** The owner's notice, cleared as it is read: the user is told once. */
  async takeNotice(owner: string): Promise<Notice | undefined> {
    const notice = await this.notices.get(owner);
    if (notice) await this.notices.delete(owner);
    return notice;
  }
}
