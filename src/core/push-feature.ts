/**
 * The contract between the composition root and a feature that pushes messages on its own
 * (alerts, digests): what it is given, and the lifecycle the root drives.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { PushOwner, PushService } from '../delivery/push.js';
import type { Scheduler } from '../schedule/scheduler.js';
import type { AtomicStoreFactory } from '../store/index.js';
import type { MarketService, Services } from './services.js';

export interface PushFeatureDeps {
  /** Atomic: replicas share ids, claims and change feeds through compare-and-set. */
  stores: AtomicStoreFactory;
  market: MarketService;
  push: PushService;
  scheduler: Scheduler;
  renderCurveChart: Services['renderCurveChart'];
  config: Config;
  now: () => number;
  log: Logger;
}

export interface PushFeature {
  /** Also the outbox owner name its messages carry (`alerts`, `digests`). */
  readonly name: string;
  /** Where the outbox reports delivered, rejected and unreachable. */
  readonly owner: PushOwner;
  /** Loads state from the store, re-sends what was pending at the last stop or crash, schedules its jobs. */
  start(): Promise<void>;
  /** Cancels its jobs and waits for a run under way; state is already in the store. */
  stop(): Promise<void>;
}
