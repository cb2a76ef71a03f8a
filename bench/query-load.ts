import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { CONSOLE_CALLER } from '../src/adapters/console/session.js';
import { createApp, type App, type AppOptions } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { ReplayServer } from '../src/market/replay/server.js';
import { renderForConsole } from '../src/render/console.js';

/** The default quote TTL (QUOTE_TTL_MS): every row that says "default TTL" runs with it. */
export const DEFAULT_TTL_MS = 5_000;

/** A full app on the replay; markets come from (and go to) `dataDir`'s cache. */
export async function newBenchApp(server: ReplayServer, dataDir: string, options: Pick<AppOptions, 'venueLimits' | 'quoteGraceMs'> = {}): Promise<App> {
  const config = loadConfig({ VENUE_BASE_URL: server.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', QUOTE_TTL_MS: String(DEFAULT_TTL_MS), VENUE_TIMEOUT_MS: '8000' });
  return createApp(config, { log: pino({ level: 'silent' }), marketsCacheTag: 'replay', ...options });
}

/**
 * One user's question as the console answers it: dispatch, then render the reply to text.
 * True when the answer is complete (every venue answered).
 */
export async function askBasis(app: App, asset = 'BTC'): Promise<boolean> {
  const result = await app.dispatcher.handleText(`/basis ${asset}`, CONSOLE_CALLER);
  if (!result?.reply) return false;
  renderForConsole(result.reply);
  return Boolean(result.ok) && ((result.data as { failures?: unknown[] } | undefined)?.failures?.length ?? 0) === 0;
}

export interface Timed {
  ms: number;
  ok: boolean;
}

/** Latency and outcome of one call; a throw counts as not ok. */
export async function timed(work: () => Promise<boolean>): Promise<Timed> {
  const started = performance.now();
  const ok = await work().catch(() => false);
  return { ms: performance.now() - started, ok };
}

/**
 * `count` calls of `work` arriving at `perSecond`, evenly spaced from now, each timed from
 * its own arrival. With `deadlineMs`, a call still running that long after its arrival is
 * recorded at the deadline as not ok (a user who gave up), so a bot that cannot keep up
 * still yields a bounded row; `onDeadline` then runs once, when every call has arrived.
 */
export async function paced(perSecond: number, count: number, work: () => Promise<boolean>, options: { deadlineMs?: number; onDeadline?: () => void } = {}): Promise<Timed[]> {
  const start = performance.now();
  const gapMs = 1_000 / perSecond;
  const calls = Array.from({ length: count }, (_, index) =>
    new Promise<Timed>((resolve) => {
      setTimeout(() => {
        const arrived = performance.now();
        let settled = false;
        const finish = (outcome: Timed) => {
          if (!settled) resolve(outcome);
          settled = true;
        };
        if (options.deadlineMs !== undefined) setTimeout(() => finish({ ms: options.deadlineMs!, ok: false }), options.deadlineMs).unref();
        void timed(work).then((outcome) => finish({ ...outcome, ms: performance.now() - arrived }));
      }, Math.max(0, start + index * gapMs - performance.now()));
    }),
  );
  const results = await Promise.all(calls);
  options.onDeadline?.();
  return results;
}
