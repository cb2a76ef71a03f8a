/**
 * A PushService in memory with the outbox's contract: an id still pending is not queued twice,
 * `deliver()` plays the platform accepting everything (calling the owner's `delivered`), and
 * reachability is whatever the test says.
 */
import { targetKey, type Target } from '../../src/core/adapter.js';
import type { Reply } from '../../src/core/reply.js';
import type { PushMeta, PushOwner, PushService } from '../../src/delivery/push.js';
import type { EnqueueResult } from '../../src/delivery/outbox-types.js';

export interface Pushed {
  target: Target;
  reply: Reply;
  id?: string;
  text: string;
}

export function memoryPush(owner: () => PushOwner | undefined) {
  const queued: Pushed[] = [];
  const delivered: Pushed[] = [];
  const unreachable = new Set<string>();
  const reachable = new Map<string, boolean | undefined>();
  const service: PushService = {
    enqueue(target: Target, reply: Reply, meta?: PushMeta): EnqueueResult {
      if (unreachable.has(targetKey(target))) return { status: 'refused', code: 'unreachable', reason: 'blocked' };
      if (meta?.id && queued.some((p) => p.id === meta.id)) return { status: 'queued', position: 0 };
      const text = reply.blocks.map((b) => (b.kind === 'text' || b.kind === 'note' ? b.text : b.kind === 'fields' ? b.fields.map((f) => `${f.label}: ${f.value}`).join('\n') : '')).join('\n');
      queued.push({ target, reply, id: meta?.id, text });
      return { status: 'queued', position: queued.length };
    },
    isUnreachable: (target) => unreachable.has(targetKey(target)),
    markReachable: (target) => {
      unreachable.delete(targetKey(target));
    },
    canReach: async (target) => reachable.get(targetKey(target)),
  };
  return {
    service,
    queued,
    delivered,
    /** The platform accepts every queued message. */
    async deliver(): Promise<void> {
      for (const message of queued.splice(0)) {
        delivered.push(message);
        if (message.id) await owner()?.delivered?.(message.id, message.target);
      }
    },
    /** The platform says the target blocked the bot: queued messages to it are dropped. */
    async block(target: Target): Promise<void> {
      unreachable.add(targetKey(target));
      for (let i = queued.length - 1; i >= 0; i -= 1) if (targetKey(queued[i].target) === targetKey(target)) queued.splice(i, 1);
      await owner()?.unreachable?.(target, '403: bot was blocked by the user');
    },
    setCanReach(target: Target, value: boolean | undefined): void {
      reachable.set(targetKey(target), value);
    },
  };
}
