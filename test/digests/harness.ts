import fs from 'node:fs';
import pino, { type Logger } from 'pino';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Caller } from '../../src/core/command.js';
import type { MarketService } from '../../src/core/services.js';
import type { PushService } from '../../src/delivery/push.js';
import { createDigests, type DigestService } from '../../src/digests/index.js';
import { DIGEST_JOB } from '../../src/digests/service.js';
import { Scheduler } from '../../src/schedule/scheduler.js';
import { createStoreFactory, type AtomicStoreFactory } from '../../src/store/index.js';
import { startReplayApp, tempDataDir, type ReplayApp } from '../helpers/replay-app.js';

export const MARKET_NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
export const at = (text: string) => Date.parse(text);
export const CONSOLE: Caller = { user: { id: 'console' }, chat: { id: 'console', kind: 'private' }, platform: 'console', isAdmin: true };
// A new user per call: the dispatcher limits how fast one user may send commands.
let users = 0;
export const group = (chatId: string, isAdmin: boolean): Caller => ({ user: { id: `u${(users += 1)}` }, chat: { id: chatId, kind: 'group' }, platform: 'telegram', isAdmin });

/**
 * The real app on the replay (market frozen at MARKET_NOW), and digest services built on it
 * with their own movable clock, fresh SQLite stores, and venue calls and chart drawings counted.
 * Registers its hooks in the calling describe block.
 */
export function useDigestHarness() {
  const cleanup: (() => Promise<void>)[] = [];
  const h = {
    replay: undefined as unknown as ReplayApp,
    clock: 0,

    freshStores(): AtomicStoreFactory {
      const dataDir = tempDataDir();
      const stores = createStoreFactory({ dataDir });
      cleanup.push(async () => {
        await stores.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      });
      return stores;
    },

    build<P extends { push: PushService }>(stores: AtomicStoreFactory, delivery: P, log: Logger = pino({ level: 'silent' })) {
      const market = h.replay.app.market;
      const curveCalls: string[] = [];
      const counted: MarketService = {
        venues: () => market.venues(),
        curves: (asset, venue) => {
          curveCalls.push(asset);
          return market.curves(asset, venue);
        },
        isCached: (asset, venue) => market.isCached(asset, venue),
        knownAssets: () => market.knownAssets(),
        status: () => market.status(),
      };
      const charts: string[] = [];
      const scheduler = new Scheduler(log);
      const digests: DigestService = createDigests({
        stores,
        market: counted,
        push: delivery.push,
        scheduler,
        renderCurveChart: (input) => {
          charts.push(input.asset);
          return h.replay.app.services.renderCurveChart(input);
        },
        config: h.replay.app.config,
        now: () => h.clock,
        log,
      });
      h.replay.app.services.digests = digests;
      cleanup.push(async () => {
        await digests.stop();
        await scheduler.stop(100);
      });
      return { digests, delivery, curveCalls, charts, scheduler };
    },

    /** Starts the service, then takes the minute tick away so only the test drives slots. */
    async started<T extends { digests: DigestService; scheduler: Scheduler }>(parts: T): Promise<T> {
      await parts.digests.start();
      expect(parts.scheduler.has(DIGEST_JOB)).toBe(true);
      parts.scheduler.cancel(DIGEST_JOB);
      await parts.digests.runDue(h.clock); // the start-up catch-up, awaited
      return parts;
    },

    ask: async (line: string, caller: Caller = CONSOLE) => (await h.replay.app.dispatcher.handleText(line, caller))!,
  };

  beforeAll(async () => {
    h.replay = await startReplayApp({ server: { clock: () => MARKET_NOW }, env: { QUOTE_TTL_MS: '600000', DIGEST_GRACE_MINUTES: '120' } });
  });
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
    h.replay.app.services.digests = undefined;
  });
  afterAll(async () => h.replay.close());
  return h;
}
