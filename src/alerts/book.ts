/**
 * Every rule in memory, by id, by owner and (active ones) by asset, kept in step with the store.
 * The one place that adds, removes, activates and deactivates a rule, so the three views never
 * disagree.
 */
import { RuleIndex } from './evaluator.js';
import type { AlertRepository } from './repository.js';
import { ownerKey, type AlertRecord, type RuleStatus } from './types.js';

export class AlertBook {
  readonly rules = new Map<number, AlertRecord>();
  readonly index = new RuleIndex();
  private readonly byOwner = new Map<string, Set<number>>();

  constructor(readonly repo: AlertRepository) {}

  async load(): Promise<void> {
    for (const rule of await this.repo.load()) this.track(rule);
  }

  /** Stores a new rule, then shows it to the evaluator. */
  async insert(rule: AlertRecord): Promise<void> {
    await this.repo.save(rule);
    this.track(rule);
  }

  /** Forgets a rule everywhere, store included. */
  async drop(rule: AlertRecord): Promise<void> {
    this.rules.delete(rule.id);
    this.byOwner.get(ownerKey(rule.owner))?.delete(rule.id);
    this.index.remove(rule);
    await this.repo.delete(rule);
  }

  /** Changes a rule's status, keeps the evaluator's index in step, and saves. */
  async setStatus(rule: AlertRecord, status: RuleStatus): Promise<void> {
    rule.status = status;
    if (status === 'active') this.index.add(rule);
    else this.index.remove(rule);
    await this.repo.save(rule);
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

  private track(rule: AlertRecord): void {
    this.rules.set(rule.id, rule);
    const key = ownerKey(rule.owner);
    let ids = this.byOwner.get(key);
    if (!ids) this.byOwner.set(key, (ids = new Set()));
    ids.add(rule.id);
    if (rule.status === 'active') this.index.add(rule);
  }
}
