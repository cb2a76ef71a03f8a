import path from 'node:path';
import type { Caller } from '../../src/core/command.js';
import { HistoryService } from '../../src/market/history-service.js';
import { MarketCache } from '../../src/market/market-cache.js';
import { VenueCatalog } from '../../src/market/venues.js';
import { startReplayApp, type ReplayApp } from '../helpers/replay-app.js';

/** The console caller: exempt from the flood limit, so a test can ask many questions in a row. */
export const CALLER: Caller = { user: { id: 'tester' }, chat: { id: 'console', kind: 'private' }, platform: 'console', isAdmin: true };

export interface HistoryApp extends ReplayApp {
  history: HistoryService;
  catalog: VenueCatalog;
  ask(line: string): ReturnType<ReplayApp['app']['dispatcher']['handleText']>;
}

/**
 * The real app on the replay with the HistoryService wired the way src/app.ts is to wire
 * it (its own VenueCatalog here, since the app does not expose its catalog).
 */
export async function startHistoryApp(options: Parameters<typeof startReplayApp>[0] = {}): Promise<HistoryApp> {
  // The longest venue budget config allows: a cold history on a loaded 2-core machine is slow, not broken.
  const replay = await startReplayApp({ ...options, env: { VENUE_TIMEOUT_MS: '8000', ...options.env } });
  const { app, server } = replay;
  const catalog = new VenueCatalog({
    venues: app.config.venues,
    baseUrl: server.url,
    timeoutMs: app.config.venueTimeoutMs,
    cache: new MarketCache(path.join(replay.dataDir, 'markets', 'history-test'), app.config.marketsMaxAgeMs),
    refreshAfterMs: app.config.marketsMaxAgeMs,
    log: app.log,
    now: app.now,
  });
  const history = new HistoryService({ catalog, stores: app.stores, now: app.now, log: app.log, takerFees: app.config.takerFees });
  app.services.history = history;
  return { ...replay, history, catalog, ask: (line) => app.dispatcher.handleText(line, CALLER) };
}
