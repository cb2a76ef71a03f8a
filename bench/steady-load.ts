import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startReplayServer, type ReplayServer } from '../src/market/replay/server.js';
import { NaiveBasisBot } from './naive-baseline.js';
import { askBasis, DEFAULT_TTL_MS, newBenchApp, paced, type Timed } from './query-load.js';
import { percentile, ratio, round, type BenchRow } from './stats.js';

/** A naive query still unanswered this long after it arrived counts as given up. */
const NAIVE_DEADLINE_MS = 10_000;

interface LoadRun {
  outcomes: Timed[];
  requestsPerTtl: number;
}

async function run(server: ReplayServer, perSecond: number, seconds: number, ask: () => Promise<boolean>, options: { onDeadline?: () => void; deadlineMs?: number } = {}): Promise<LoadRun> {
  server.resetStats();
  const outcomes = await paced(perSecond, perSecond * seconds, ask, options);
  return { outcomes, requestsPerTtl: server.stats().total / (seconds / (DEFAULT_TTL_MS / 1000)) };
}

/**
 * /basis BTC arriving steadily at each rate for `seconds` (several periods of the default
 * 5 s TTL), dispatched and rendered: basisbot with serve-stale-while-refresh (after), the
 * same bot without it (before: a query after each expiry waits for the refetch), and the
 * naive bot with ccxt's limiter (queries it cannot answer within 10 s count as given up).
 * Each bot has answered once before the run starts (markets known, code warm).
 */
export async function benchSteadyLoad(options: { rates: number[]; seconds: number }): Promise<BenchRow[]> {
  const server = await startReplayServer();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-bench-'));
  const rows: BenchRow[] = [];
  try {
    // Markets onto disk, and the code paths warmed, before anything is measured.
    const loader = await newBenchApp(server, dataDir);
    await askBasis(loader);
    await loader.close();
    for (const perSecond of options.rates) {
      const scenario = `steady /basis BTC at ${perSecond}/s for ${options.seconds} s (${options.seconds / (DEFAULT_TTL_MS / 1000)} TTL periods, default TTL), dispatch + render`;
      const after = await newBenchApp(server, dataDir);
      await askBasis(after); // the cold first answer is another row's subject: this one is steady state
      const withStale = await run(server, perSecond, options.seconds, () => askBasis(after));
      await after.close();
      const before = await newBenchApp(server, dataDir, { quoteGraceMs: 0 });
      await askBasis(before);
      const withoutStale = await run(server, perSecond, options.seconds, () => askBasis(before));
      await before.close();
      const naive = new NaiveBasisBot(server.url);
      await naive.warmMarkets();
      await naive.basis('BTC');
      const naiveRun = await run(server, perSecond, options.seconds, () => naive.basis('BTC'), { deadlineMs: NAIVE_DEADLINE_MS, onDeadline: () => naive.releaseBacklog() });

      const ours = withStale.outcomes.map((outcome) => outcome.ms);
      const theirs = withoutStale.outcomes.map((outcome) => outcome.ms);
      const naiveMs = naiveRun.outcomes.map((outcome) => outcome.ms);
      for (const p of [50, 90, 99]) {
        const value = percentile(ours, p);
        rows.push({ scenario, metric: `p${p} ms: stale-while-refresh (after) vs without (before)`, value: round(value, 3), baseline: round(percentile(theirs, p), 3), ratio: ratio(value, percentile(theirs, p)) });
      }
      const naiveP90 = percentile(naiveMs, 90);
      rows.push({ scenario, metric: `p90 ms: basisbot vs naive bot (ccxt limiter; ${NAIVE_DEADLINE_MS / 1000} s = gave up)`, value: round(percentile(ours, 90), 3), baseline: round(naiveP90), ratio: ratio(percentile(ours, 90), naiveP90) });
      rows.push({ scenario, metric: 'naive answers within 10 s', value: '', baseline: `${naiveRun.outcomes.filter((outcome) => outcome.ok).length}/${naiveRun.outcomes.length}` });
      rows.push({ scenario, metric: 'venue requests per TTL period: after vs before', value: round(withStale.requestsPerTtl, 1), baseline: round(withoutStale.requestsPerTtl, 1), ratio: ratio(withStale.requestsPerTtl, withoutStale.requestsPerTtl) });
      rows.push({ scenario, metric: 'venue requests per TTL period: basisbot vs naive bot', value: round(withStale.requestsPerTtl, 1), baseline: round(naiveRun.requestsPerTtl, 1), ratio: ratio(withStale.requestsPerTtl, naiveRun.requestsPerTtl) });
    }
    return rows;
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
