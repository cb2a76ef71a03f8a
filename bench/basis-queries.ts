import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AppOptions } from '../src/app.js';
import { startReplayServer, type ReplayServer } from '../src/market/replay/server.js';
import { NaiveBasisBot } from './naive-baseline.js';
import { askBasis, DEFAULT_TTL_MS, newBenchApp, paced, timed, type Timed } from './query-load.js';
import { median, percent, percentile, ratio, round, type BenchRow } from './stats.js';

/** A replay server and a data dir whose market cache is filled, so apps start with markets known. */
async function replayWithMarkets(): Promise<{ server: ReplayServer; dataDir: string; close(): Promise<void> }> {
  const server = await startReplayServer();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-bench-'));
  const loader = await newBenchApp(server, dataDir);
  await loader.market.knownAssets();
  await loader.close();
  return {
    server,
    dataDir,
    close: async () => {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const complete = (outcomes: Timed[]) => outcomes.filter((outcome) => outcome.ok).length;
const latencies = (outcomes: Timed[]) => outcomes.map((outcome) => outcome.ms);

function latencyRows(scenario: string, ours: number[], theirs: number[], points: number[]): BenchRow[] {
  return points.map((p) => {
    const value = percentile(ours, p);
    const baseline = percentile(theirs, p);
    return { scenario, metric: `latency p${p} ms`, value: round(value), baseline: round(baseline), ratio: ratio(value, baseline) };
  });
}

/**
 * `queries` /basis BTC arriving at `perSecond` (markets known, quote cache empty at the first
 * one), each dispatched and rendered, so the run spans several TTL periods instead of one
 * coalesced cold fetch. The naive bot gets the same arrivals; its limiter is off, because
 * at this rate ccxt's own would queue it for minutes (a live venue would answer 429).
 * Then the warm row: sequential queries with the default TTL, rendering included.
 */
export async function benchBasisQueries(options: { queries: number; perSecond: number; warmQueries: number }): Promise<BenchRow[]> {
  const seconds = options.queries / options.perSecond;
  const scenario = `${options.queries} /basis BTC arriving at ${options.perSecond}/s (${seconds} s = ${seconds / (DEFAULT_TTL_MS / 1000)} TTL periods, default TTL), dispatch + render`;
  const replay = await replayWithMarkets();
  const { server } = replay;
  try {
    const app = await newBenchApp(server, replay.dataDir);
    server.resetStats();
    const ours = await paced(options.perSecond, options.queries, () => askBasis(app));
    const ourRequests = server.stats().total;

    const naive = new NaiveBasisBot(server.url, { limiter: 'off' });
    await naive.warmMarkets();
    server.resetStats();
    const theirs = await paced(options.perSecond, options.queries, () => naive.basis('BTC'));
    const naiveRequests = server.stats().total;

    // Warm: the default TTL, so a refresh falls inside the series as it would in a chat.
    const warm: number[] = [];
    for (let i = 0; i < options.warmQueries; i += 1) warm.push((await timed(() => askBasis(app))).ms);
    const naiveSequential: number[] = [];
    const shipped = new NaiveBasisBot(server.url);
    await shipped.warmMarkets();
    for (let i = 0; i < 10; i += 1) naiveSequential.push((await timed(() => shipped.basis('BTC'))).ms);
    await app.close();

    const warmScenario = `${options.warmQueries} sequential /basis BTC, default TTL (5 s), dispatch + render (naive: 10, ccxt limiter on)`;
    return [
      { scenario, metric: 'venue requests', value: ourRequests, baseline: naiveRequests, ratio: ratio(ourRequests, naiveRequests) },
      { scenario, metric: 'complete answers', value: complete(ours), baseline: complete(theirs), ratio: ratio(complete(ours), complete(theirs)) },
      ...latencyRows(scenario, latencies(ours), latencies(theirs), [50, 90, 99]),
      ...latencyRows(warmScenario, warm, naiveSequential, [50, 99]),
    ];
  } finally {
    await replay.close();
  }
}

/** Cold /basis BTC latency of fresh apps (markets from disk, quote cache empty): the median of `runs`. */
async function coldMedian(replay: { server: ReplayServer; dataDir: string }, runs: number, options: Pick<AppOptions, 'venueLimits'>): Promise<{ ms: number; requests: number }> {
  const samples: number[] = [];
  let requests = 0;
  for (let run = 0; run < runs; run += 1) {
    const app = await newBenchApp(replay.server, replay.dataDir, options);
    await app.market.knownAssets(); // markets from the disk cache: no request
    replay.server.resetStats();
    samples.push((await timed(() => askBasis(app))).ms);
    requests = replay.server.stats().total;
    await app.close();
  }
  return { ms: median(samples), requests };
}

/**
 * The rate limiter's share of a cold /basis BTC: per-venue budgets (one per binance host)
 * against ccxt's one bucket per exchange (before) and no limiter at all (the floor), plus
 * the naive bot's cold query (fetchTicker per contract, ccxt's limiter) beside it.
 */
export async function benchColdLimiter(runs = 7): Promise<BenchRow[]> {
  const replay = await replayWithMarkets();
  try {
    const after = await coldMedian(replay, runs, { venueLimits: 'venue' });
    const before = await coldMedian(replay, runs, { venueLimits: 'ccxt' });
    const off = await coldMedian(replay, runs, { venueLimits: 'off' });
    const naive = new NaiveBasisBot(replay.server.url);
    await naive.warmMarkets();
    const naiveSamples: number[] = [];
    for (let run = 0; run < runs; run += 1) naiveSamples.push((await timed(() => naive.basis('BTC'))).ms);
    const scenario = `cold /basis BTC (markets known, quote cache empty, ${after.requests} requests), median of ${runs} fresh apps, dispatch + render`;
    const share = (ms: number) => percent(Math.max(0, ms - off.ms), ms);
    return [
      { scenario, metric: 'p50 ms: venue budgets per host (after) vs ccxt limiter (before)', value: round(after.ms), baseline: round(before.ms), ratio: ratio(after.ms, before.ms) },
      { scenario, metric: "limiter's share of cold latency (after vs before)", value: share(after.ms), baseline: share(before.ms) },
      { scenario, metric: 'p50 ms with the limiter off (floor)', value: round(off.ms) },
      { scenario, metric: 'p50 ms: basisbot vs naive bot (ticker per contract, ccxt limiter)', value: round(after.ms), baseline: round(median(naiveSamples)), ratio: ratio(after.ms, median(naiveSamples)) },
    ];
  } finally {
    await replay.close();
  }
}

/** Time to the first answer of a new process-like app, with and without the market cache on disk. */
export async function benchColdStart(): Promise<BenchRow[]> {
  const server = await startReplayServer();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-bench-'));
  const since = async (work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    return performance.now() - started;
  };
  try {
    const first = await newBenchApp(server, dataDir);
    server.resetStats();
    const withoutCache = await since(() => askBasis(first));
    const requestsWithout = server.stats().total;
    await first.close();
    const second = await newBenchApp(server, dataDir);
    server.resetStats();
    const withCache = await since(() => askBasis(second));
    const requestsWith = server.stats().total;
    await second.close();
    const scenario = 'cold start to first /basis BTC';
    return [
      { scenario, metric: 'time ms (market cache / none)', value: round(withCache), baseline: round(withoutCache), ratio: ratio(withCache, withoutCache) },
      { scenario, metric: 'venue requests (cache / none)', value: requestsWith, baseline: requestsWithout, ratio: ratio(requestsWith, requestsWithout) },
    ];
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
