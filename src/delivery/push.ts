/**
 * What services that push messages (alerts, digests) see of delivery: the outbox behind one
 * small interface, and the callbacks the outbox routes back to whoever owns a message.
 */
import type { Target } from '../core/adapter.js';
import type { Reply } from '../core/reply.js';
import type { EnqueueResult } from './outbox-types.js';

/** Who owns a pushed message, and its id within that owner (e.g. a crossing id). */
export interface PushMeta {
  /** `alerts`, `digests`: routes delivered/rejected/unreachable back to that owner. */
  owner?: string;
  /**
   * Stable id of this message: a second enqueue of an id still pending is ignored, so an
   * owner re-enqueuing its pending records after a crash cannot double a message.
   */
  id?: string;
}

/** Callbacks the outbox makes to a message's owner. All may be async; failures are logged. */
export interface PushOwner {
  /** The platform accepted the message. */
  delivered?(id: string, target: Target): Promise<void> | void;
  /** The platform refused this one message for good (a 400): it was dropped, the target kept. */
  rejected?(id: string, target: Target, reason: string): Promise<void> | void;
  /** The target stopped accepting messages (blocked, kicked, DMs closed). Every owner hears it. */
  unreachable?(target: Target, reason: string): Promise<void> | void;
}

export interface PushService {
  enqueue(target: Target, reply: Reply, meta?: PushMeta): EnqueueResult;
  isUnreachable(target: Target): boolean;
  /** Clears an unreachable mark (the user came back, `/digest set` resumed a chat). */
  markReachable(target: Target): Promise<void> | void;
  /**
   * Whether the platform would accept a message to the target now (Telegram: the user has
   * opened a private chat with the bot; Discord: DMs open). Undefined when it cannot tell.
   */
  canReach(target: Target): Promise<boolean | undefined>;
}
