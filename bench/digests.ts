/**
 * Digest fan-out: 100 and 10,000 chats due in the same minute, composed and queued by the real
 * DigestService on the real market service (replay venues on 127.0.0.1), each run from a cold
 * quote cache. What must hold: venue requests stay flat as chats grow (one market.curves per
 * asset per slot, shared), and compose time grows only with the per-chat text (chats with the
 * same assets, zone and previous digest share one composition; the unshared cost is shown too). The naive
 * baseline is a digest job per chat fetching its own data (NaiveBasisBot: a ticker per contract),
 * measured at 100 chats; it grows linearly, so 10,000 would be 100 times that.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Target } from '../src/core/adapter.js';
import type { PushService } from '../src/delivery/push.js';
import { composeDigest, createDigests } from '../src/digests/index.js';
import { fetchAssets } from '../src/digests/fetch.js';
import { startReplayServer, type ReplayServer } from '../src/market/replay/server.js';
import { Scheduler } from '../src/schedule/scheduler.js';
import { NaiveBasisBot } from './naive-baseline.js';
import { ratio, round, type BenchRow } from './stats.js';
import { memoryStores } from './memory-stores.js';

const SLOT = Date.UTC(2026, 11, 1, 8, 0, 0);

/** Counts what would go to the outbox; the outbox's own throughput is the broadcast bench. */
function countingPush(): PushService & { count: () => number } {
  let queued = 0;
  return {
    enqueue: () => ({ status: 'queued', position: ++queued }),
    isUnreachable: () => false,
    markReachable: () => undefined,
    canReach: async () => true,
    count: () => queued,
  };
}

async function newApp(server: ReplayServer, dataDir: string): Promise<App> {
  const config = loadConfig({ VENUE_BASE_URL: server.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', VENUE_TIMEOUT_MS: '8000' });
  return createApp(config, { log: pino({ level: 'silent' }), marketsCacheTag: 'replay' });
}

interface FanoutRun {
  venueRequests: number;
  composeMs: number;
  slotWrites: number;
  queued: number;
  charts: number;
  /** ms per digest when no two chats share one (each has its own previous digest). */
  unsharedMs: number;
}

/** `chats` chats on the default watch list, all at 08:00 UTC; the 08:00 slot run from a cold quote cache. */
async function fanout(server: ReplayServer, dataDir: string, chats: number): Promise<FanoutRun> {
  const app = await newApp(server, dataDir);
  const stores = memoryStores();
  const log = pino({ level: 'silent' });
  const scheduler = new Scheduler(log);
  const push = countingPush();
  let clock = SLOT - 3_600_000;
  let charts = 0;
  const digests = createDigests({
    stores,
    market: app.market,
    push,
    scheduler,
    renderCurveChart: (input) => {
      charts += 1;
      return app.services.renderCurveChart(input);
    },
    config: app.config,
    now: () => clock,
    log,
  });
  try {
    await digests.start();
    scheduler.cancel('digests');
    await digests.runDue(clock);
    const targets: Target[] = Array.from({ length: chats }, (_, i) => ({ platform: 'telegram', chatId: String(100_000 + i), kind: 'private' }));
    for (const target of targets) await digests.set(target, '08:00 UTC', 'bench');
    const writesBefore = stores.writes();
    server.resetStats();
    clock = SLOT;
    const started = performance.now();
    const report = await digests.runDue(SLOT);
    const composeMs = performance.now() - started;
    const venueRequests = server.stats().total;
    const slotWrites = stores.writes() - writesBefore;
    // The worst case for sharing: every chat with a previous digest of its own, so nothing is reused but the data.
    const data = await fetchAssets(app.market, app.config.watchList);
    const first = await composeDigest({ assets: app.config.watchList, timezone: 'UTC', at: SLOT, data });
    const chart = Promise.resolve(Buffer.alloc(0));
    const samples = 2_000;
    const unsharedStarted = performance.now();
    for (let i = 0; i < samples; i += 1) {
      await composeDigest({ assets: app.config.watchList, timezone: 'UTC', at: SLOT, data, previous: structuredClone(first.snapshot), renderChart: () => chart });
    }
    const unsharedMs = (performance.now() - unsharedStarted) / samples;
    return { venueRequests, composeMs, slotWrites, queued: report.queued, charts, unsharedMs };
  } finally {
    await digests.stop();
    await scheduler.stop(100);
    await app.close();
  }
}

/**
 * The naive digest: each chat's job fetches every watched asset itself. Its limiter is off: with
 * ccxt's own limiter the 9,200 requests queue for about 5 minutes (a live venue would answer
 * 429s instead), so its time here is a lower bound.
 */
async function naiveFanout(server: ReplayServer, chats: number, assets: string[]): Promise<{ venueRequests: number; ms: number }> {
  const naive = new NaiveBasisBot(server.url, { limiter: 'off' });
  await naive.warmMarkets();
  server.resetStats();
  const started = performance.now();
  await Promise.all(Array.from({ length: chats }, () => Promise.all(assets.map((asset) => naive.basis(asset)))));
  return { venueRequests: server.stats().total, ms: performance.now() - started };
}

export async function benchDigestFanout(): Promise<BenchRow[]> {
  const server = await startReplayServer();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-bench-'));
  try {
    // Load the market lists once so each run starts with markets on disk and quotes cold.
    const loader = await newApp(server, dataDir);
    await loader.market.curves('BTC');
    const watchList = loader.config.watchList;
    await loader.close();
    const small = await fanout(server, dataDir, 100);
    const large = await fanout(server, dataDir, 10_000);
    const naive = await naiveFanout(server, 100, watchList);
    const s100 = 'digest fan-out, 100 chats in one minute';
    const s10k = 'digest fan-out, 10,000 chats in one minute';
    return [
      { scenario: s100, metric: 'venue requests', value: small.venueRequests, baseline: naive.venueRequests, ratio: ratio(small.venueRequests, naive.venueRequests) },
      { scenario: s100, metric: 'compose + queue ms (total; naive without a limiter)', value: round(small.composeMs), baseline: round(naive.ms), ratio: ratio(small.composeMs, naive.ms) },
      { scenario: s100, metric: 'queued / chart drawings', value: `${small.queued} / ${small.charts}` },
      { scenario: s10k, metric: 'venue requests', value: large.venueRequests, baseline: `~${naive.venueRequests * 100} (100 x the 100-chat run)`, ratio: ratio(large.venueRequests, naive.venueRequests * 100) },
      { scenario: s10k, metric: 'compose + queue ms (total)', value: round(large.composeMs) },
      { scenario: s10k, metric: 'compose + queue ms per chat', value: round(large.composeMs / 10_000, 3), baseline: round(small.composeMs / 100, 3), ratio: 'per chat at 10,000 vs at 100' },
      { scenario: s10k, metric: 'queued / chart drawings', value: `${large.queued} / ${large.charts}` },
      { scenario: s10k, metric: 'compose ms per chat, nothing shared', value: round(large.unsharedMs, 3), ratio: 'each chat with its own previous digest' },
      { scenario: s10k, metric: 'store writes for the slot', value: large.slotWrites, baseline: small.slotWrites, ratio: 'one slot record, whatever the chats' },
    ];
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
