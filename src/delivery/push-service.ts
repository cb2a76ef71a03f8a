import type { Target } from '../core/adapter.js';
import type { Platform } from '../core/command.js';
import type { Reply } from '../core/reply.js';
import type { EnqueueResult, OutboxSender } from './outbox-types.js';
import type { PushMeta, PushService } from './push.js';

/** The outbox calls a PushService is made of. */
export interface PushTarget {
  enqueue(target: Target, reply: Reply, meta?: PushMeta): EnqueueResult;
  isUnreachable(target: Target): boolean;
  markReachable(target: Target): Promise<unknown>;
}

/**
 * The PushService alerts and digests get: the outbox for queueing and unreachable marks, and
 * the target platform's sender for `canReach` (undefined when the platform cannot tell).
 */
export function createPushService(outbox: PushTarget, senders: Partial<Record<Platform, Pick<OutboxSender, 'canReach'>>>): PushService {
  return {
    enqueue: (target, reply, meta) => outbox.enqueue(target, reply, meta),
    isUnreachable: (target) => outbox.isUnreachable(target),
    markReachable: async (target) => {
      await outbox.markReachable(target);
    },
    canReach: async (target) => {
      const canReach = senders[target.platform]?.canReach;
      if (!canReach) return undefined;
      return canReach.call(senders[target.platform], target);
    },
  };
}
