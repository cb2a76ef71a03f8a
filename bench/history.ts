import { performance } from 'node:perf_hooks';
import { startHistoryApp } from '../test/history/history-app.js';
import { round, type BenchRow } from './stats.js';

/** Candle routes of the four venues, as the replay counts them. */
const OHLCV_PATHS = /klines|candles|market\/kline|tradingview/;

/**
 * `/history BTC 90d` on the real app over the replay: cold (no day held: candles of spot
 * and every dated future, expired ones included, and 90 days of funding from each venue),
 * then warm (every closed day held: no candle request at all, only today's live curve).
 */
export async function benchHistory(): Promise<BenchRow[]> {
  const scenario = '/history BTC 90d';
  const h = await startHistoryApp();
  try {
    // Markets loaded first, so cold measures the history itself rather than loadMarkets.
    await h.app.services.market.curves('BTC');
    await h.history.history('BTC', 1);
    const run = async (): Promise<{ ms: number; requests: number; ohlcv: number; ok: boolean }> => {
      h.server.resetStats();
      const started = performance.now();
      const result = await h.ask('/history BTC 90d');
      const ms = performance.now() - started;
      const stats = h.server.stats();
      const ohlcv = Object.entries(stats.byPath).reduce((sum, [path, count]) => sum + (OHLCV_PATHS.test(path) ? count : 0), 0);
      return { ms, requests: stats.total, ohlcv, ok: Boolean(result?.ok) };
    };
    const cold = await run();
    const warm = await run();
    return [
      { scenario, metric: 'cold: time (ms)', value: round(cold.ms, 0) },
      { scenario, metric: 'cold: venue requests (all / OHLCV)', value: `${cold.requests} / ${cold.ohlcv}` },
      { scenario, metric: 'warm: time (ms)', value: round(warm.ms, 0), baseline: round(cold.ms, 0), ratio: `${round(cold.ms / warm.ms, 1)}x faster` },
      { scenario, metric: 'warm: venue requests (all / OHLCV)', value: `${warm.requests} / ${warm.ohlcv}`, baseline: `${cold.requests} / ${cold.ohlcv}`, ratio: warm.ohlcv === 0 ? 'no OHLCV for days held' : 'OHLCV asked again' },
      { scenario, metric: 'answered', value: cold.ok && warm.ok ? 'yes' : 'no' },
    ];
  } finally {
    await h.close();
  }
}
