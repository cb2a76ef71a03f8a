/**
 * The pushed work a lease term runs (outbox sends, alert ticks, digest slots), and the
 * fences that keep a replica that lost its term from pushing: features enqueue through a
 * PushService that refuses outside a trusted term, and the outbox sends through senders
 * that answer retry-later outside one. Commands never pass these fences: every replica
 * answers them.
 */
import type { PushFeature } from '../core/push-feature.js';
import type { Services } from '../core/services.js';
import type { Outbox, OutboxSender } from '../delivery/outbox.js';
import type { PushService } from '../delivery/push.js';
import type { LeaseWork } from './keeper.js';

/** Whether this replica may push now (Lease.isHeld, or always without a lease). */
export type Fence = () => boolean;

export function fencedPush(push: PushService, fence: Fence): PushService {
  return {
    ...push,
    enqueue: (target, reply, meta) =>
      // Refused, a crossing or digest stays pending in its feature's record: the holder sends it.
      fence() ? push.enqueue(target, reply, meta) : { status: 'refused', code: 'stopped', reason: 'this replica does not hold the push lease' },
  };
}

export function fencedSender(sender: OutboxSender, fence: Fence, retryAfterMs: number): OutboxSender {
  const fenced: OutboxSender = {
    send: (target, reply) =>
      fence() ? sender.send(target, reply) : Promise.resolve({ status: 'retry-later', retryAfterMs, reason: 'this replica does not hold the push lease' }),
  };
  if (sender.canReach) fenced.canReach = (target) => sender.canReach!(target);
  if (sender.partsOf) fenced.partsOf = (reply) => sender.partsOf!(reply);
  return fenced;
}

export interface PushWorkOptions {
  outbox: Outbox;
  /** The live feature list (App.features): replaced in place when a term rebuilds them. */
  features: PushFeature[];
  services: Services;
  /** Builds fresh feature instances (their state is read from the store at start). */
  build: () => PushFeature[];
  /**
   * Rebuild the features at each term's start. On a shared store another replica may have
   * changed every record since this one last read them (its earlier term, or commands it
   * answered), and a feature loads its state once.
   */
  rebuildEachTerm: boolean;
  /** Sends still on the wire when a term ends get this long before the rest waits in the store. */
  stopTimeoutMs: number;
}

export function pushWork(options: PushWorkOptions): LeaseWork {
  const { outbox, features, services } = options;
  const install = (fresh: PushFeature[]) => {
    features.splice(0, features.length, ...fresh);
    for (const feature of fresh) {
      outbox.registerOwner(feature.name, feature.owner);
      Object.assign(services, { [feature.name]: feature });
    }
  };
  return {
    async start() {
      if (options.rebuildEachTerm) install(options.build());
      await outbox.start();
      for (const feature of features) await feature.start();
    },
    async stop() {
      await Promise.all(features.map((feature) => feature.stop()));
      // The next holder sends what is queued: it is in the store already.
      await outbox.stop({ drain: false, timeoutMs: options.stopTimeoutMs });
    },
  };
}
