import type { RefusalCode } from './outbox-types.js';

/** What the outbox knows of a target when a message is offered for it. */
export interface TargetFacts {
  key: string;
  platform: string;
  stopped: boolean;
  /** Why the target is marked unreachable, if it is. */
  unreachableReason?: string;
  hasSender: boolean;
  queued: number;
  maxQueue: number;
}

/** Why a message for this target cannot be queued now, or undefined when it can. */
export function refusalFor(facts: TargetFacts): { code: RefusalCode; reason: string } | undefined {
  if (facts.stopped) return { code: 'stopped', reason: 'the outbox is stopped' };
  if (facts.unreachableReason !== undefined) return { code: 'unreachable', reason: `${facts.key} is unreachable: ${facts.unreachableReason}` };
  if (!facts.hasSender) return { code: 'no-sender', reason: `no sender for ${facts.platform}` };
  if (facts.queued >= facts.maxQueue) return { code: 'queue-full', reason: `${facts.key} already has ${facts.queued} messages queued` };
  return undefined;
}
