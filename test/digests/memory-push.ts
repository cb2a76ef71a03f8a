import { targetKey, type Target } from '../../src/core/adapter.js';
import type { Reply } from '../../src/core/reply.js';
import type { EnqueueResult } from '../../src/delivery/outbox-types.js';
import type { PushMeta, PushService } from '../../src/delivery/push.js';

/**
 * A PushService in memory with the outbox's contract: an id still pending is ignored on
 * re-enqueue, and an unreachable target is refused. Records what was queued.
 */
export function memoryPush() {
  const queued: { target: Target; reply: Reply; meta: PushMeta }[] = [];
  const pending = new Set<string>();
  const unreachable = new Set<string>();
  const markedReachable: Target[] = [];
  const push: PushService = {
    enqueue(target, reply, meta = {}): EnqueueResult {
      if (unreachable.has(targetKey(target))) return { status: 'refused', code: 'unreachable', reason: 'bot was blocked by the user' };
      if (meta.id && pending.has(meta.id)) return { status: 'queued', position: 0 };
      if (meta.id) pending.add(meta.id);
      queued.push({ target, reply, meta });
      return { status: 'queued', position: queued.length };
    },
    isUnreachable: (target) => unreachable.has(targetKey(target)),
    markReachable: (target) => {
      unreachable.delete(targetKey(target));
      markedReachable.push(target);
    },
    canReach: async () => true,
  };
  return { push, queued, unreachable, markedReachable };
}
