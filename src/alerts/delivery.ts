/**
 * Durable delivery of crossings. A crossing is written into its rule's record (pending, with a
 * stable id `<ruleId>:<seq>`) before it is handed to the outbox, and removed when the outbox
 * reports the platform accepted it. On start every pending crossing is enqueued again; the
 * outbox ignores an id it still holds or already settled in this run (it may send a stored
 * message before this feature has loaded its rules), so a restart sends nothing twice.
 *
 * The one window where a duplicate remains possible: the platform accepted the message and the
 * process died before `delivered` removed the pending record. On the next start the crossing is
 * still pending and goes out a second time. Closing that window would need the platform to
 * deduplicate by our id, which neither Telegram nor Discord offers; at-least-once is the choice.
 */
import { targetKey, type Target } from '../core/adapter.js';
import type { Reply } from '../core/reply.js';
import type { PushOwner, PushService } from '../delivery/push.js';
import type { AlertBook } from './book.js';
import { ownerKey, type AlertRecord } from './types.js';

export const OWNER_NAME = 'alerts';

export interface DeliveryLog {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

export class CrossingDelivery {
  /** Pending crossings the outbox refused for now (queue full, stopping): offered again each tick. */
  private readonly unsent = new Set<string>();

  constructor(
    private readonly book: AlertBook,
    private readonly push: PushService,
    private readonly now: () => number,
    private readonly log: DeliveryLog,
  ) {}

  /** Records a crossing as pending in the rule's record, saves it, then enqueues it. */
  async send(rule: AlertRecord, reply: Reply): Promise<void> {
    rule.seq += 1;
    const id = `${rule.id}:${rule.seq}`;
    rule.pending.push({ id, at: this.now(), reply });
    await this.book.repo.saveState(rule);
    await this.enqueue(rule, id, reply);
  }

  /** Offers every pending crossing to the outbox again (start-up, and refused ones each tick). */
  async resend(onlyUnsent: boolean): Promise<void> {
    if (onlyUnsent && this.unsent.size === 0) return; // the usual tick: no walk over every rule
    for (const rule of this.book.rules.values()) {
      for (const crossing of rule.pending) {
        if (onlyUnsent && !this.unsent.has(crossing.id)) continue;
        await this.enqueue(rule, crossing.id, crossing.reply);
      }
    }
  }

  private async enqueue(rule: AlertRecord, id: string, reply: Reply): Promise<void> {
    const result = this.push.enqueue(rule.target, reply, { owner: OWNER_NAME, id });
    if (result.status === 'queued') {
      this.unsent.delete(id);
      return;
    }
    if (result.code === 'unreachable') {
      await this.unreachable(rule.target, result.reason);
      return;
    }
    this.unsent.add(id);
    this.log.warn({ id, reason: result.reason }, 'alert crossing not queued yet; will offer it again');
  }

  /** The outbox's callbacks for messages owned by `alerts`. */
  readonly owner: PushOwner = {
    delivered: (id) => this.settle(id),
    rejected: (id, _target, reason) => {
      this.log.warn({ id, reason }, 'platform refused an alert message; dropped');
      return this.settle(id);
    },
    unreachable: (target, reason) => this.unreachable(target, reason),
  };

  /** Removes a delivered (or refused for good) crossing; a retired rule goes once its last message is out. */
  private async settle(id: string): Promise<void> {
    this.unsent.delete(id);
    const rule = this.book.rules.get(Number(id.split(':')[0]));
    if (!rule) return;
    const before = rule.pending.length;
    rule.pending = rule.pending.filter((crossing) => crossing.id !== id);
    if (rule.pending.length === before) return;
    if (rule.status === 'retired' && rule.pending.length === 0) await this.book.drop(rule);
    else await this.book.repo.saveState(rule);
  }

  /**
   * The target stopped accepting messages: its rules pause (status `unreachable`, persisted) and
   * their pending crossings are dropped, as the outbox dropped them; each owner hears it on
   * their next /alert command.
   */
  async unreachable(target: Target, reason: string): Promise<void> {
    const key = targetKey(target);
    const owners = new Set<string>();
    for (const rule of this.book.rules.values()) {
      if (targetKey(rule.target) !== key) continue;
      for (const crossing of rule.pending) this.unsent.delete(crossing.id);
      rule.pending = [];
      if (rule.status === 'retired') {
        await this.book.drop(rule);
      } else {
        await this.book.repo.saveState(rule);
        if (rule.status !== 'active') continue;
        await this.book.setStatus(rule, 'unreachable');
        owners.add(ownerKey(rule.owner));
      }
    }
    for (const owner of owners) await this.book.repo.setNotice(owner, { reason, at: this.now() });
    if (owners.size > 0) this.log.info({ target: key, reason, owners: owners.size }, 'alert target unreachable; its rules are paused');
  }
}
