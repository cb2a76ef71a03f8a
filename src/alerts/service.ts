/**
 * The alerts feature as the composition root sees it: a PushFeature (start, stop, outbox owner)
 * and the API /alert calls. Each tick fetches every asset that has an active rule once (the
 * quote service caches per market family, so venue requests follow distinct markets, not rules
 * or users), evaluates all rules in memory, then persists what changed and sends crossings.
 */
import type { Caller } from '../core/command.js';
import type { PushFeature, PushFeatureDeps } from '../core/push-feature.js';
import { NoVenueAnsweredError, UnknownAssetError } from '../market/errors.js';
import type { CurveSet } from '../market/types.js';
import { AlertsApiImpl, type AddOutcome, type ChangeAction, type ChangeOutcome, type RuleView } from './api.js';
import { AlertBook } from './book.js';
import { CrossingDelivery, OWNER_NAME } from './delivery.js';
import { crossingReply, retiredReply } from './describe.js';
import type { AssetTick } from './evaluator.js';
import { AlertRepository } from './repository.js';
import { ownerKey, type AlertRecord, type RuleSpec } from './types.js';

/** What /alert (and tests) call. */
export interface AlertsApi {
  add(caller: Caller, spec: RuleSpec): Promise<AddOutcome>;
  list(caller: Caller): Promise<RuleView[]>;
  change(caller: Caller, action: ChangeAction, which: string): Promise<ChangeOutcome>;
  /** The one-time notice that the caller's alerts were paused (target unreachable), cleared as read. */
  takeNotice(caller: Caller): Promise<string | undefined>;
  /** The per-user limit (ALERTS_PER_USER). */
  readonly perUser: number;
}

export interface AlertsFeature extends PushFeature, AlertsApi {
  /** Runs one evaluation now (tests, benchmarks); the scheduler calls the same. */
  tick(): Promise<void>;
  /** Every rule in memory, for tests and status. */
  rules(): AlertRecord[];
}

export const SCHEDULE_NAME = 'alerts';

export function createAlerts(deps: PushFeatureDeps): AlertsFeature {
  const book = new AlertBook(new AlertRepository(deps.stores));
  const delivery = new CrossingDelivery(book, deps.push, deps.now, deps.log);
  const api = new AlertsApiImpl({ book, market: deps.market, push: deps.push, now: deps.now, perUser: deps.config.alerts.perUser });
  let running: Promise<void> | undefined;
  let started = false;
  // Commands may arrive before start() finished loading: every entry point waits for the one load.
  let loading: Promise<void> | undefined;
  const loaded = (): Promise<void> => (loading ??= book.load());
  // Another replica may have changed this user's rules: see its adds and removals, and (when
  // this replica does not run the tick) the crossing state the holder wrote.
  const afterLoad = <A extends [Caller, ...unknown[]], R>(work: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    await loaded();
    await book.sync();
    await book.refreshOwner(ownerKey({ platform: args[0].platform, userId: args[0].user.id }));
    return work(...args);
  };

  /** Persists tick results: changed tracks, crossings (pending before enqueue), retirements. */
  async function settleTick(result: AssetTick, set: CurveSet, at: number): Promise<void> {
    await book.repo.saveAll(result.changed);
    for (const { rule, points } of result.fired) {
      if (rule.status !== 'active') continue; // paused or removed while the venues answered
      await delivery.send(rule, crossingReply(rule, points, set, at));
    }
    for (const rule of result.expired) {
      if (rule.status !== 'active') continue;
      await book.setStatus(rule, 'retired');
      await delivery.send(rule, retiredReply(rule));
    }
  }

  async function evaluateAsset(asset: string): Promise<void> {
    let set: CurveSet;
    try {
      set = await deps.market.curves(asset);
    } catch (error) {
      // One asset failing (every venue down, delisted) must not stop the others.
      const expected = error instanceof NoVenueAnsweredError || error instanceof UnknownAssetError;
      deps.log[expected ? 'warn' : 'error']({ err: error, asset }, 'alert tick could not read the market');
      return;
    }
    const at = deps.now();
    await settleTick(book.index.evaluate(asset, set, at), set, at);
  }

  async function tick(): Promise<void> {
    if (running) return running;
    running = (async () => {
      // Rules added, paused or removed on other replicas since the last tick (one read when none were).
      await book.sync();
      await delivery.resend(true);
      await Promise.all(book.index.assets().map((asset) => evaluateAsset(asset)));
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    name: OWNER_NAME,
    owner: delivery.owner,
    perUser: deps.config.alerts.perUser,
    async start() {
      if (started) return;
      started = true;
      book.authoritative = true;
      await loaded();
      await delivery.resend(false);
      deps.scheduler.every(SCHEDULE_NAME, deps.config.alerts.checkSeconds, () => tick());
      deps.log.info({ rules: book.rules.size, active: book.index.size() }, 'alerts started');
    },
    async stop() {
      deps.scheduler.cancel(SCHEDULE_NAME);
      await running;
      started = false;
      book.authoritative = false;
    },
    tick,
    rules: () => [...book.rules.values()],
    add: afterLoad((caller: Caller, spec: RuleSpec) => api.add(caller, spec)),
    list: afterLoad((caller: Caller) => api.list(caller)),
    change: afterLoad((caller: Caller, action: ChangeAction, which: string) => api.change(caller, action, which)),
    takeNotice: async (caller: Caller) => {
      await loaded();
      return api.takeNotice(caller);
    },
  };
}
