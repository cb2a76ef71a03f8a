import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import pino from 'pino';
import { createAlerts } from '../src/alerts/index.js';
import { RuleIndex } from '../src/alerts/evaluator.js';
import { extractSeries } from '../src/alerts/metrics.js';
import { parseAddWords } from '../src/alerts/parse.js';
import type { AlertRecord, RuleSpec } from '../src/alerts/types.js';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Caller } from '../src/core/command.js';
import type { PushService } from '../src/delivery/push.js';
import { startReplayServer, type ReplayServer } from '../src/market/replay/server.js';
import type { CurveSet, VenueId } from '../src/market/types.js';
import { Scheduler } from '../src/schedule/scheduler.js';
import { percentile, ratio, round, type BenchRow } from './stats.js';
import { memoryStores } from './memory-stores.js';

const ASSETS = ['BTC', 'ETH', 'SOL', 'XRP', 'DOGE'];
const QUOTE_TTL_MS = 5_000;
/** Rule lines spread over every metric and tenor kind; `{a}` is the asset. */
const TEMPLATES = ['{a} apr above 5%', '{a} apr below -2% okx', '{a} basis crosses 0.1% next', '{a} funding above 10%', '{a} funding below -5% binance', '{a} spread above 1%', '{a} state'];

/** A deterministic pseudo-random stream, so every run evaluates the same rules. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

function specsFor(venues: VenueId[]): RuleSpec[] {
  return ASSETS.flatMap((asset) =>
    TEMPLATES.map((template) => {
      const [a, metric, ...words] = template.replace('{a}', asset).split(' ');
      const parsed = parseAddWords({ asset: a, metric, words }, venues);
      if ('error' in parsed) throw new Error(`${template}: ${parsed.error.message}`);
      return parsed.spec;
    }),
  );
}

/** `count` rules with thresholds scattered around each template's, so some cross on each move. */
function makeRules(count: number, specs: RuleSpec[]): AlertRecord[] {
  const next = random(7);
  return Array.from({ length: count }, (_, i) => {
    const base = specs[i % specs.length];
    const spec: RuleSpec = base.threshold === undefined ? { ...base } : { ...base, threshold: base.threshold + (next() - 0.5) * 0.2 };
    return { id: i + 1, owner: { platform: 'telegram', userId: String(i % 40_000) }, target: { platform: 'telegram', chatId: String(i % 40_000), kind: 'private' }, spec, createdAt: 0, status: 'active', tracks: {}, seq: 0, pending: [] };
  });
}

const gc = (): void => {
  v8.setFlagsFromString('--expose_gc');
  (vm.runInNewContext('gc') as () => void)();
};

async function newApp(server: ReplayServer, dataDir: string, now: () => number): Promise<App> {
  const config = loadConfig({ VENUE_BASE_URL: server.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', QUOTE_TTL_MS: String(QUOTE_TTL_MS), VENUE_TIMEOUT_MS: '8000', ALERTS_PER_USER: '1000' });
  return createApp(config, { log: pino({ level: 'silent' }), marketsCacheTag: 'replay', now });
}

/** The replay's curves for every asset, unshifted and shifted, so alternate ticks cross and re-arm. */
async function curveSets(app: App, server: ReplayServer, advance: () => void): Promise<{ base: CurveSet[]; moved: CurveSet[] }> {
  const read = async () => {
    advance();
    return Promise.all(ASSETS.map((asset) => app.market.curves(asset)));
  };
  const base = await read();
  for (const asset of ASSETS) server.shift({ asset, apr: 0.08, funding: 0.15 });
  const moved = await read();
  server.resetShifts();
  return { base, moved };
}

/**
 * Median time of one tick's evaluation (every asset) over `runs` ticks: with the market still
 * (the usual tick: nothing crosses) and with it moving back and forth between two states every
 * tick (a worst case: thousands of rules cross or re-arm on every tick).
 */
function evaluationMs(rules: AlertRecord[], sets: { base: CurveSet[]; moved: CurveSet[] }, runs: number) {
  const index = new RuleIndex();
  for (const rule of rules) index.add(rule);
  let at = 0;
  const tick = (assetSets: CurveSet[]) => assetSets.reduce((fired, set) => fired + index.evaluate(set.asset, set, (at += 3_600_000)).fired.length, 0);
  // Wall time and this process's CPU time: on shared cores the wall clock also counts other jobs.
  const median = (pick: (run: number) => CurveSet[]) => {
    const wall: number[] = [];
    const cpu: number[] = [];
    let fired = 0;
    for (let run = 0; run < runs; run += 1) {
      const started = performance.now();
      const cpuStart = process.cpuUsage();
      fired += tick(pick(run));
      const used = process.cpuUsage(cpuStart);
      wall.push(performance.now() - started);
      cpu.push((used.user + used.system) / 1000);
    }
    return { wall: percentile(wall, 50), cpu: percentile(cpu, 50), fired: Math.round(fired / runs) };
  };
  tick(sets.base); // first sight: tracks initialised
  return { still: median(() => sets.base), moving: median((run) => (run % 2 === 0 ? sets.moved : sets.base)) };
}

/**
 * Alert evaluation per tick for 10k, 100k and 1M rules over the replay's assets, memory per 100k
 * rules, and venue requests per tick at 10k rules beside a naive bot where every rule fetches
 * its own curves.
 */
export async function benchAlertEvaluation(): Promise<BenchRow[]> {
  let now = Date.parse('2026-12-01T12:00:00Z');
  const clock = () => now;
  const advance = () => void (now += QUOTE_TTL_MS + 1_000);
  const server = await startReplayServer({ clock });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-bench-'));
  const rows: BenchRow[] = [];
  try {
    const app = await newApp(server, dataDir, clock);
    const sets = await curveSets(app, server, advance);
    // XRP and DOGE list no dated futures: only the rules the market can answer.
    const specs = specsFor(app.market.venues()).filter((spec) => {
      const set = sets.base[ASSETS.indexOf(spec.asset)];
      return extractSeries(set, spec.metric, spec.tenor).some((point) => !spec.venue || point.key === spec.venue);
    });

    // Memory first, on a quiet heap: 100k rules with their index and first-sight tracks.
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = makeRules(100_000, specs);
    const index = new RuleIndex();
    for (const rule of kept) index.add(rule);
    for (const set of sets.base) index.evaluate(set.asset, set, now);
    gc();
    const perHundredK = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    rows.push({ scenario: 'alert rules in memory', metric: 'MiB per 100k rules (with index)', value: round(perHundredK, 1), ratio: `${index.size()} rules indexed` });
    kept.length = 0;

    evaluationMs(makeRules(10_000, specs), sets, 3); // JIT warm-up, so the 10k row measures the tick, not the compiler
    for (const count of [10_000, 100_000, 1_000_000]) {
      const { still, moving } = evaluationMs(makeRules(count, specs), sets, 5);
      const scenario = `alert tick, ${count.toLocaleString('en-US')} rules`;
      rows.push({ scenario, metric: 'evaluation ms, market still (median of 5)', value: round(still.wall), baseline: 'target < 1000 ms at 1M', ratio: `CPU ${round(still.cpu)} ms` });
      rows.push({ scenario, metric: 'evaluation ms, market moving every tick', value: round(moving.wall), ratio: `CPU ${round(moving.cpu)} ms, ${moving.fired.toLocaleString('en-US')} crossings/tick` });
    }

    // Venue requests per tick through the real feature (store in memory: this counts requests).
    const users = 10_000 / 1_000;
    const noPush: PushService = { enqueue: () => ({ status: 'queued', position: 0 }), isUnreachable: () => false, markReachable: () => undefined, canReach: async () => true };
    const scheduler = new Scheduler(pino({ level: 'silent' }));
    const feature = createAlerts({ stores: memoryStores(), market: app.market, push: noPush, scheduler, renderCurveChart: app.services.renderCurveChart, config: app.config, now: clock, log: pino({ level: 'silent' }) });
    await feature.start();
    scheduler.cancel('alerts');
    for (let i = 0; i < 10_000; i += 1) {
      const caller: Caller = { user: { id: `u${i % users}` }, chat: { id: `u${i % users}`, kind: 'private' }, platform: 'telegram', isAdmin: true };
      const outcome = await feature.add(caller, specs[i % specs.length]);
      if (!outcome.ok) throw new Error(outcome.error.message);
    }
    advance();
    server.resetStats();
    await feature.tick();
    const ours = server.stats().total;
    await feature.stop();
    await scheduler.stop();

    // Naive: each rule fetches its own curves with nothing cached. Measured per asset on a
    // cold cache, then multiplied by the rules on that asset (an estimate, not 10k live fetches).
    const perAsset = new Map<string, number>();
    for (const asset of ASSETS) {
      advance();
      server.resetStats();
      await app.market.curves(asset);
      perAsset.set(asset, server.stats().total);
    }
    const naive = Array.from({ length: 10_000 }, (_, i) => perAsset.get(specs[i % specs.length].asset) ?? 0).reduce((a, b) => a + b, 0);
    rows.push({ scenario: 'alert tick, 10,000 rules', metric: 'venue requests per tick (naive: estimated)', value: ours, baseline: naive, ratio: `${ratio(naive, ours)} fewer` });
    await app.close();
    return rows;
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
