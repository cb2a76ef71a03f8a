import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { CONSOLE_CALLER } from '../src/adapters/console/session.js';
import { startReplayServer, type ReplayServer } from '../src/market/replay/server.js';
import { NaiveBasisBot } from './naive-baseline.js';
import { percentile, ratio, round, type BenchRow } from './stats.js';

async function newApp(server: ReplayServer, dataDir: string, ttlMs = 5_000): Promise<App> {
  const config = loadConfig({ VENUE_BASE_URL: server.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', QUOTE_TTL_MS: String(ttlMs), VENUE_TIMEOUT_MS: '8000' });
  return createApp(config, { log: pino({ level: 'silent' }), marketsCacheTag: 'replay' });
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Latency and whether the answer was complete (every venue, every contract). */
async function timedOutcome(work: () => Promise<boolean>): Promise<{ ms: number; complete: boolean }> {
  const started = performance.now();
  const complete = await work().catch(() => false);
  return { ms: performance.now() - started, complete };
}

/**
 * 1,000 concurrent `/basis BTC` on a cold quote cache (markets already loaded), and a
 * warm-cache series measuring our own overhead; each beside the naive bot in the same run.
 */
export async function benchBasisQueries(options: { concurrent: number; warmQueries: number }): Promise<BenchRow[]> {
  const scenario = `${options.concurrent} concurrent /basis BTC`;
  const server = await startReplayServer();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-bench-'));
  try {
    // A first app loads the markets and writes them to disk; the burst app reads them from
    // there, so the burst starts with markets known and the quote cache empty.
    const loader = await newApp(server, dataDir, 60_000);
    await loader.market.curves('BTC');
    await loader.close();
    const burstApp = await newApp(server, dataDir, 60_000);

    server.resetStats();
    const ourOutcomes = await Promise.all(
      Array.from({ length: options.concurrent }, () =>
        timedOutcome(async () => {
          const result = await burstApp.dispatcher.handleText('/basis BTC', CONSOLE_CALLER);
          return Boolean(result?.ok) && (result?.data as { failures: unknown[] }).failures.length === 0;
        }),
      ),
    );
    const ours = ourOutcomes.map((outcome) => outcome.ms);
    const ourRequests = server.stats().total;

    const naive = new NaiveBasisBot(server.url);
    await naive.warmMarkets();
    server.resetStats();
    const naiveOutcomes = await Promise.all(Array.from({ length: options.concurrent }, () => timedOutcome(() => naive.basis('BTC'))));
    const naiveLatencies = naiveOutcomes.map((outcome) => outcome.ms);
    const naiveRequests = server.stats().total;
    const complete = (outcomes: { complete: boolean }[]) => outcomes.filter((outcome) => outcome.complete).length;

    // Warm cache: the answer is assembled from cached quotes; this is our own overhead.
    const warm: number[] = [];
    for (let i = 0; i < options.warmQueries; i += 1) warm.push(await timed(() => burstApp.dispatcher.handleText('/basis BTC', CONSOLE_CALLER)));
    const naiveSequential: number[] = [];
    for (let i = 0; i < Math.min(100, options.warmQueries); i += 1) naiveSequential.push(await timed(() => naive.basis('BTC')));

    const rows: BenchRow[] = [
      { scenario, metric: 'venue requests', value: ourRequests, baseline: naiveRequests, ratio: ratio(ourRequests, naiveRequests) },
      { scenario, metric: 'complete answers', value: complete(ourOutcomes), baseline: complete(naiveOutcomes), ratio: ratio(complete(ourOutcomes), complete(naiveOutcomes)) },
      { scenario, metric: 'latency p50 ms', value: round(percentile(ours, 50)), baseline: round(percentile(naiveLatencies, 50)), ratio: ratio(percentile(ours, 50), percentile(naiveLatencies, 50)) },
      { scenario, metric: 'latency p99 ms', value: round(percentile(ours, 99)), baseline: round(percentile(naiveLatencies, 99)), ratio: ratio(percentile(ours, 99), percentile(naiveLatencies, 99)) },
      { scenario: `sequential /basis BTC, warm cache`, metric: 'answer p50 ms', value: round(percentile(warm, 50), 3), baseline: round(percentile(naiveSequential, 50), 3), ratio: ratio(percentile(warm, 50), percentile(naiveSequential, 50)) },
      { scenario: `sequential /basis BTC, warm cache`, metric: 'answer p99 ms', value: round(percentile(warm, 99), 3), baseline: round(percentile(naiveSequential, 99), 3), ratio: ratio(percentile(warm, 99), percentile(naiveSequential, 99)) },
    ];
    await burstApp.close();
    return rows;
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Time to the first answer of a new process-like app, with and without the market cache on disk. */
export async function benchColdStart(): Promise<BenchRow[]> {
  const server = await startReplayServer();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-bench-'));
  try {
    const first = await newApp(server, dataDir);
    server.resetStats();
    const withoutCache = await timed(() => first.dispatcher.handleText('/basis BTC', CONSOLE_CALLER));
    const requestsWithout = server.stats().total;
    await first.close();
    const second = await newApp(server, dataDir);
    server.resetStats();
    const withCache = await timed(() => second.dispatcher.handleText('/basis BTC', CONSOLE_CALLER));
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
