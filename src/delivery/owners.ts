import type { Target } from '../core/adapter.js';
import type { OutboxLog } from './outbox-types.js';
import type { PushOwner } from './push.js';
import type { MessageMeta } from './queued-message.js';

/**
 * Routes what happened to a message back to the feature that owns it. Callbacks run after the
 * outbox has updated its own state, may be async, and can never break delivery: a throw or a
 * rejection is logged and forgotten.
 */
export class Owners {
  /** Read at each call, not copied: features are built after the outbox (they need its PushService) and join late. */
  private readonly owners: Record<string, PushOwner>;

  constructor(
    owners: Record<string, PushOwner> | undefined,
    private readonly log: OutboxLog,
    /** The pre-owner hook (`onUnreachable`), still called for every unreachable target. */
    private readonly onUnreachable?: (target: Target, reason: string) => void | Promise<void>,
  ) {
    this.owners = owners ?? {};
  }

  register(name: string, owner: PushOwner): void {
    this.owners[name] = owner;
  }

  delivered(meta: MessageMeta, target: Target): void {
    const owner = this.ownerOf(meta);
    if (owner?.delivered && meta.id !== undefined) this.call(meta.owner!, 'delivered', () => owner.delivered!(meta.id!, target));
  }

  /** A 400, or a message given up after its attempts: either way it will not arrive. */
  rejected(meta: MessageMeta, target: Target, reason: string): void {
    const owner = this.ownerOf(meta);
    if (owner?.rejected && meta.id !== undefined) this.call(meta.owner!, 'rejected', () => owner.rejected!(meta.id!, target, reason));
  }

  /** Every owner hears it: each may have state (subscriptions) for the target, queued or not. */
  unreachable(target: Target, reason: string): void {
    for (const [name, owner] of Object.entries(this.owners)) {
      if (owner.unreachable) this.call(name, 'unreachable', () => owner.unreachable!(target, reason));
    }
    const hook = this.onUnreachable;
    if (hook) this.call('onUnreachable', 'unreachable', () => hook(target, reason));
  }

  private ownerOf(meta: MessageMeta): PushOwner | undefined {
    if (meta.owner === undefined) return undefined;
    const owner = Object.hasOwn(this.owners, meta.owner) ? this.owners[meta.owner] : undefined;
    if (!owner) this.log.debug({ owner: meta.owner, id: meta.id }, 'outbox: message owner not registered');
    return owner;
  }

  private call(owner: string, event: string, callback: () => void | Promise<void>): void {
    void Promise.resolve()
      .then(callback)
      .catch((error: unknown) => this.log.warn({ owner, event, err: error }, 'outbox: owner callback failed'));
  }
}
