import path from 'node:path';
import type { Logger } from 'pino';
import { COMMANDS } from '../commands/index.js';
import type { Config } from './config.js';
import type { Adapter } from './core/adapter.js';
import type { Platform } from './core/command.js';
import { Dispatcher } from './core/dispatch.js';
import type { PushFeature } from './core/push-feature.js';
import type { Services } from './core/services.js';
import { Outbox, type OutboxSender, type QueuedMessage } from './delivery/outbox.js';
import type { UnreachableMark } from './delivery/unreachable-marks.js';
import { createPushFeatures } from './features.js';
import { createLogger } from './logger.js';
import { MarketCache } from './market/market-cache.js';
import { HistoryService } from './market/history-service.js';
import { CcxtMarketService } from './market/market-service.js';
import { QuoteService } from './market/quotes.js';
import { VenueCatalog } from './market/venues.js';
import { DRIVERS } from './market/venues/index.js';
import type { CurveChartInput } from './render/chart.js';
import { Scheduler } from './schedule/scheduler.js';
import { createStoreFactory, type AtomicStoreFactory } from './store/index.js';
import { stopWithin, type StopPlan } from './stop.js';
import os from 'node:os';
import { LeaseKeeper } from './lease/keeper.js';
import { Lease, type LeaseRecord } from './lease/lease.js';
import { fencedPush, fencedSender, pushWork, type Fence } from './lease/push-work.js';
import { allowedChatsPolicy } from './ops/allowed-chats.js';
import { Metrics } from './ops/metrics.js';
import { countedPush } from './ops/push-metrics.js';

export interface App {
  config: Config;
  log: Logger;
  dispatcher: Dispatcher;
  services: Services;
  market: CcxtMarketService;
  stores: AtomicStoreFactory;
  scheduler: Scheduler;
  outbox: Outbox;
  /** Alerts and digests: the features that push on their own schedule. */
  features: PushFeature[];
  adapters: Adapter[];
  now: () => number;
  /** This process's name in shared records (the push lease, Telegram's polling claim): hostname:pid. */
  replicaId: string;
  /** Prometheus metrics of this process (served by the ops endpoint when HTTP_PORT is set). */
  metrics: Metrics;
  /**
   * The push lease, on a shared (Redis) store only: the replica holding it runs the outbox,
   * alert ticks and digest slots; every replica answers commands. Undefined on SQLite,
   * which serves one process, so that process always runs the pushed work.
   */
  lease?: LeaseKeeper;
  /** Adds a chat adapter before start(): it receives commands and sends its platform's pushes. */
  connect(adapter: Adapter): void;
  /** Starts the pushed work (outbox, alerts, digests), then every adapter; names those that failed. */
  start(): Promise<{ running: Adapter[]; failed: { platform: Platform; error: unknown }[] }>;
  /**
   * Stops within the bound (STOP_BOUND_MS): no new pushes, the outbox drains while the
   * adapters stop taking commands, then the store closes. Safe to call twice.
   */
  stop(): Promise<void>;
  /** A second signal: whatever the outbox has not sent stays in the store for the next start. */
  skipDrain(): void;
  close(): Promise<void>;
}

/** chart.js and the canvas (a native module) load on the first chart, not at every start (`ask` needs none). */
async function renderCurveChart(input: CurveChartInput): Promise<Buffer> {
  const { renderCurveChart: render } = await import('./render/chart.js');
  return render(input);
}

export interface AppOptions {
  now?: () => number;
  log?: Logger;
  /**
   * Which market list the on-disk cache holds: the live venues', the replay's, or a
   * proxy's. Defaults from VENUE_BASE_URL.
   */
  marketsCacheTag?: string;
  /** This replica's name in the lease record; default hostname:pid. */
  replicaId?: string;
  /** Prepended to every store namespace (tests sharing one Redis). */
  storePrefix?: string;
  /** A store factory already opened (and verified) by the caller; built from config otherwise. */
  stores?: AtomicStoreFactory;
  /** false: the lease is renewed only by `app.lease.step()` (tests on a moved clock). */
  leaseTimer?: boolean;
  /** Benches' before/after: venue rate limiting ('venue' default, 'ccxt', 'off') and the stale-serving grace (0: none). */
  venueLimits?: 'venue' | 'ccxt' | 'off';
  quoteGraceMs?: number;
}

function defaultCacheTag(config: Config): string {
  if (!config.venueBaseUrl) return 'live';
  return `redirected-${new URL(config.venueBaseUrl).hostname.replace(/[^a-z0-9.-]/gi, '_')}`;
}

/**
 * The composition root: every service is built here, once, from validated config, in the
 * order they depend on each other: store, market, scheduler, outbox, alerts and digests,
 * the dispatcher, and (through connect) the chat adapters. Nothing here does I/O until start().
 */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const now = options.now ?? Date.now;
  const log = options.log ?? createLogger(config.logLevel);
  const stores = options.stores ?? createStoreFactory({ dataDir: config.dataDir, url: config.storeUrl, prefix: options.storePrefix });
  const replicaId = options.replicaId ?? `${os.hostname()}:${process.pid}`;
  const metrics = new Metrics({ labels: { replica: replicaId } });
  const shared = Boolean(config.storeUrl?.startsWith('redis'));
  const lease = shared
    ? new Lease({ store: stores.open<LeaseRecord>('lease'), name: 'push', holder: replicaId, ttlMs: config.leaseTtlMs, now })
    : undefined;
  // Without a lease (SQLite, one process) this process always pushes.
  const fence: Fence = lease ? () => lease.isHeld() : () => true;

  const cacheTag = options.marketsCacheTag ?? defaultCacheTag(config);
  const catalog = new VenueCatalog({
    venues: config.venues,
    baseUrl: config.venueBaseUrl,
    timeoutMs: config.venueTimeoutMs,
    cache: new MarketCache(path.join(config.dataDir, 'markets', cacheTag), config.marketsMaxAgeMs),
    refreshAfterMs: config.marketsMaxAgeMs,
    log,
    now,
    onRequest: (request) => metrics.venueRequest(request.venue, request.ms, request.ok),
    limits: options.venueLimits,
  });
  const market = new CcxtMarketService({
    catalog,
    quotes: new QuoteService({ ttlMs: config.quoteTtlMs, graceMs: options.quoteGraceMs ?? config.quoteGraceMs, now }),
    drivers: DRIVERS,
    timeoutMs: config.venueTimeoutMs,
    staleAfterMs: config.staleAfterMs,
    watchList: config.watchList,
    now,
    log,
  });

  const scheduler = new Scheduler(log);
  // Filled by connect(): the outbox looks its senders up when it sends, so adapters built
  // after it (they need the dispatcher, which needs the features) still become its senders.
  const senders: Partial<Record<Platform, OutboxSender>> = {};
  const outbox = new Outbox({
    senders,
    store: stores.open<QueuedMessage[]>('outbox'),
    unreachableStore: stores.open<UnreachableMark>('outbox-unreachable'),
    log,
    now,
  });
  const push = countedPush(fencedPush(outbox.pushService(), fence), metrics);
  const buildFeatures = () => createPushFeatures({ stores, market, push, scheduler, renderCurveChart, config, now, log });
  const features = buildFeatures();
  for (const feature of features) outbox.registerOwner(feature.name, feature.owner);

  const history = new HistoryService({ catalog, stores, now, log, takerFees: config.takerFees });
  // Every curve the bot fetches (alert ticks, digests, commands) feeds the hourly recorded snapshots.
  history.snapshots.recordFrom(market);
  const services: Services = { market, renderCurveChart, watchList: config.watchList, startedAt: now(), push, history };
  for (const feature of features) Object.assign(services, { [feature.name]: feature });
  const allowChat = config.allowedChats ? allowedChatsPolicy(config.allowedChats, { onRefused: (caller) => metrics.chatRefused(caller.platform) }) : undefined;
  const dispatcher = new Dispatcher(COMMANDS, { services, now }, log, { allowChat, onServed: (platform, command, ok) => metrics.commandServed(platform, command, ok) });
  metrics.collectFrom({ outbox: () => outbox.stats(), market: () => market.status() });

  const work = pushWork({ outbox, features, services, build: buildFeatures, rebuildEachTerm: shared, stopTimeoutMs: Math.min(config.outboxStopTimeoutMs, config.leaseTtlMs / 6) });
  const keeper = lease
    ? new LeaseKeeper({ lease, work, log, onHolderChange: (held) => metrics.leaseHolder(held), onRenewed: () => metrics.leaseRenewed() })
    : undefined;

  const adapters: Adapter[] = [];
  let started = false;
  let stopping: Promise<void> | undefined;
  let running: Adapter[] = [];

  const plan = (): StopPlan => ({
    // Nothing new is pushed once stopping starts (no new term either); what is queued drains while chats close.
    features: async () => {
      keeper?.abandon();
      await Promise.all([scheduler.stop(), ...features.map((feature) => feature.stop())]);
    },
    drain: (timeoutMs) => outbox.stop({ drain: true, timeoutMs }),
    adapters: running.map((adapter) => ({ platform: adapter.platform, stop: () => adapter.stop() })),
    drainMs: config.outboxStopTimeoutMs,
    // Releasing after the drain lets another replica take over at once instead of after the TTL.
    release: keeper ? () => keeper.close() : undefined,
    log,
  });

  const app: App = {
    config,
    log,
    dispatcher,
    services,
    market,
    stores,
    scheduler,
    outbox,
    features,
    adapters,
    now,
    replicaId,
    metrics,
    lease: keeper,
    connect(adapter) {
      if (started) throw new Error('connect adapters before start()');
      adapters.push(adapter);
      // A replica whose term ended sends nothing more, even a message already in its lane.
      senders[adapter.platform] = lease ? fencedSender(adapter, fence, lease.marginMs) : adapter;
    },
    async start() {
      started = true;
      if (keeper) {
        if (options.leaseTimer === false) await keeper.step();
        else await keeper.start();
      } else {
        await work.start(0);
      }
      const outcomes = await Promise.allSettled(adapters.map((adapter) => adapter.start()));
      running = adapters.filter((_, index) => outcomes[index].status === 'fulfilled');
      const failed = outcomes.flatMap((outcome, index) =>
        outcome.status === 'rejected' ? [{ platform: adapters[index].platform, error: outcome.reason as unknown }] : [],
      );
      return { running, failed };
    },
    stop() {
      stopping ??= started ? stopWithin(plan()) : Promise.resolve();
      return stopping;
    },
    skipDrain() {
      outbox.skipDrain();
    },
    async close() {
      await app.stop();
      await stores.close();
    },
  };
  return app;
}
