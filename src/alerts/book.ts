/**
 * Every rule in memory, by id, by owner and (active ones) by asset, kept in step with the store.
 * The one place that adds, removes, activates and deactivates a rule, so the three views never
 * disagree.
 *
 * Several replicas share the store: `sync` applies what the others changed (through the
 * repository's change feed), and `refreshOwner` re-reads one user's rules whole before a
 * command shows or changes them. The replica running the tick (`authoritative`) owns the
 * crossing state, so it takes only the rule part (status) from the store; the others take all.
 */
import { readInBatches } from '../store/atomic-update.js';
import { RuleIndex } from './evaluator.js';
import type { AlertRepository } from './repository.js';
import { ownerKey, type AlertRecord, type RuleStatus } from './types.js';

export class AlertBook {
  readonly rules = new Map<number, AlertRecord>();
  readonly index = new RuleIndex();
  private readonly byOwner = new Map<string, Set<number>>();
  /** The change-feed position this book reflects. */
  private seen = 0;
  private syncing: Promise<void> | undefined;
  /** True while this replica runs the tick: its memory of crossings is newer than the store's. */
  authoritative = false;

  constructor(readonly repo: AlertRepository) {}

  async load(): Promise<void> {
    const { rules, seen } = await this.repo.load();
    this.replaceAll(rules);
    this.seen = seen;
  }

  /** Applies what other replicas changed since the last sync; one store read when nothing did. */
  sync(): Promise<void> {
    this.syncing ??= this.applyChanges().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /** Re-reads the owner's rules from the store (a replica that does not run the tick has stale crossing state). */
  async refreshOwner(owner: string): Promise<void> {
    if (this.authoritative) return;
    await this.readAndApply([...(this.byOwner.get(owner) ?? [])]);
  }

  /** Stores a new rule, then shows it to the evaluator. */
  async insert(rule: AlertRecord): Promise<void> {
    await this.repo.insert(rule);
    this.track(rule);
  }

  /** Forgets a rule everywhere, store included. */
  async drop(rule: AlertRecord): Promise<void> {
    this.forget(rule);
    await this.repo.delete(rule);
  }

  /** Changes a rule's status, keeps the evaluator's index in step, and saves. */
  async setStatus(rule: AlertRecord, status: RuleStatus): Promise<void> {
    rule.status = status;
    if (status === 'active') this.index.add(rule);
    else this.index.remove(rule);
    await this.repo.saveRule(rule);
  }

  /** The owner's rules that still count (not retired), by id. */
  ownedBy(owner: string): AlertRecord[] {
    const ids = [...(this.byOwner.get(owner) ?? [])].sort((a, b) => a - b);
    return ids.map((id) => this.rules.get(id)!).filter((rule) => rule.status !== 'retired');
  }

  /** The rule with that id if `owner` owns it; a foreign id is as unknown as a wrong one. */
  find(owner: string, id: number): AlertRecord | undefined {
    const rule = this.rules.get(id);
    return rule && ownerKey(rule.owner) === owner && rule.status !== 'retired' ? rule : undefined;
  }

  private async applyChanges(): Promise<void> {
    const changes = await this.repo.changesSince(this.seen);
    if (changes.kind === 'gap') {
      // The feed expired under us: the whole store is the news.
      await this.reloadKeepingState();
      this.seen = changes.seen;
      return;
    }
    await this.readAndApply([...new Set(changes.keys)].map(Number));
    this.seen = changes.seen;
  }

  /** Reads the rules in parallel batches and applies them in order. */
  private async readAndApply(ids: number[]): Promise<void> {
    const stored = await readInBatches(ids, (id) => this.repo.read(id));
    ids.forEach((id, i) => this.apply(id, stored[i]));
  }

  /** Brings one rule in line with its stored form (undefined: removed). */
  private apply(id: number, stored: AlertRecord | undefined): void {
    const known = this.rules.get(id);
    if (!stored) {
      if (known) this.forget(known);
      return;
    }
    if (!known) {
      this.track(stored);
      return;
    }
    const wasActive = known.status === 'active';
    if (!this.authoritative) Object.assign(known, { tracks: stored.tracks, seq: stored.seq, pending: stored.pending, lastFiredAt: stored.lastFiredAt });
    // A resume is quiet: what happened while paused is not a crossing; the next tick re-reads each side.
    else if (!wasActive && stored.status === 'active') known.tracks = {};
    known.status = stored.status;
    if (wasActive && known.status !== 'active') this.index.remove(known);
    if (!wasActive && known.status === 'active') this.index.add(known);
  }

  /** After a gap: the rule parts from the store; the tick's own crossing state where this book has it. */
  private async reloadKeepingState(): Promise<void> {
    const { rules } = await this.repo.load();
    const seenIds = new Set(rules.map((rule) => rule.id));
    for (const rule of [...this.rules.values()]) if (!seenIds.has(rule.id)) this.forget(rule);
    for (const rule of rules) this.apply(rule.id, rule);
  }

  private replaceAll(rules: AlertRecord[]): void {
    for (const rule of [...this.rules.values()]) this.forget(rule);
    for (const rule of rules) this.track(rule);
  }

  private forget(rule: AlertRecord): void {
    this.rules.delete(rule.id);
    this.byOwner.get(ownerKey(rule.owner))?.delete(rule.id);
    this.index.remove(rule);
  }

  private track(rule: AlertRecord): void {
    this.rules.set(rule.id, rule);
    const key = ownerKey(rule.owner);
    let ids = this.byOwner.get(key);
    if (!ids) this.byOwner.set(key, (ids = new Set()));
    ids.add(rule.id);
    if (rule.status === 'active') this.index.add(rule);
  }
}
