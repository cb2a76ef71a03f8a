/**
 * Where alerts live between restarts: one record per rule (spec, tracks, pending crossings, all
 * in one value so a crossing and the state that produced it are written together), the id
 * counter, and the "your alerts were paused" notices.
 */
import type { StoreFactory, KeyValueStore } from '../store/index.js';
import type { AlertRecord } from './types.js';

export interface Notice {
  reason: string;
  at: number;
}

export class AlertRepository {
  private readonly rules: KeyValueStore<AlertRecord>;
  private readonly meta: KeyValueStore<number>;
  private readonly notices: KeyValueStore<Notice>;
  private nextId = 1;

  constructor(stores: StoreFactory) {
    this.rules = stores.open<AlertRecord>('alerts');
    this.meta = stores.open<number>('alerts-meta');
    this.notices = stores.open<Notice>('alerts-notices');
  }

  /** Every stored rule; also sets the id counter past the highest id ever handed out. */
  async load(): Promise<AlertRecord[]> {
    const loaded: AlertRecord[] = [];
    for await (const [, rule] of this.rules.entries()) loaded.push(rule);
    const stored = (await this.meta.get('nextId')) ?? 1;
    this.nextId = Math.max(stored, ...loaded.map((rule) => rule.id + 1));
    return loaded;
  }

  /**
   * A fresh id, persisted before use so a removed rule's id is never handed out again (an old
   * message's Pause button must not reach a newer rule).
   */
  async allocateId(): Promise<number> {
    const id = this.nextId;
    this.nextId += 1;
    await this.meta.set('nextId', this.nextId);
    return id;
  }

  save(rule: AlertRecord): Promise<void> {
    return this.rules.set(String(rule.id), rule);
  }

  /** Saves many rules, a bounded number at a time (a tick that re-arms thousands of rules). */
  async saveAll(rules: readonly AlertRecord[], concurrency = 64): Promise<void> {
    for (let start = 0; start < rules.length; start += concurrency) {
      await Promise.all(rules.slice(start, start + concurrency).map((rule) => this.save(rule)));
    }
  }

  async delete(rule: AlertRecord): Promise<void> {
    await this.rules.delete(String(rule.id));
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
