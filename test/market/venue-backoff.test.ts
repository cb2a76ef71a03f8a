import fs from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MarketListUnavailableError, UnknownAssetError } from '../../src/market/errors.js';
import { MarketCache } from '../../src/market/market-cache.js';
import { startReplayServer, type ReplayServer } from '../../src/market/replay/server.js';
import { VenueCatalog } from '../../src/market/venues.js';
import { CONSOLE_CALLER } from '../../src/adapters/console/session.js';
import { renderForConsole } from '../../src/render/console.js';
import { startReplayApp, tempDataDir } from '../helpers/replay-app.js';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

describe('market-list load backoff (issue 11 item 5)', () => {
  let server: ReplayServer;
  let elapsed = 0;
  const clock = () => NOW + elapsed;
  beforeAll(async () => {
    server = await startReplayServer({ clock, faults: { okx: { kind: 'down' } } });
  });
  afterAll(async () => server.close());

  it('spaces failed loads exponentially, capped, on the injected clock, and asks nothing in between', async () => {
    const dataDir = tempDataDir();
    const catalog = new VenueCatalog({
      venues: ['okx'],
      baseUrl: server.url,
      timeoutMs: 1_500,
      cache: new MarketCache(dataDir, 86_400_000),
      refreshAfterMs: 86_400_000,
      log: pino({ level: 'silent' }),
      now: clock,
      backoff: { baseMs: 1_000, maxMs: 8_000, random: () => 1 },
    });
    try {
      server.resetStats();
      elapsed = 0;
      await expect(catalog.ready('okx')).rejects.toThrow(/ExchangeNotAvailable|503|Service Unavailable/);
      const perLoad = server.stats().byVenue.okx ?? 0;
      expect(perLoad).toBeGreaterThan(0);
      const gaps: number[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const before = server.stats().byVenue.okx;
        const retryAt = catalog.state('okx')!.retryAt!;
        gaps.push(retryAt - clock());
        elapsed = retryAt - NOW - 1; // one ms early: answered at once, no request
        const early = await catalog.ready('okx').catch((e: unknown) => e);
        expect(early).toBeInstanceOf(MarketListUnavailableError);
        expect((early as Error).message).toMatch(/^market list unavailable \(.+\); next try in 1 s$/);
        expect(server.stats().byVenue.okx).toBe(before);
        elapsed = retryAt - NOW; // due: one more load
        await catalog.ready('okx').catch(() => undefined);
        expect(server.stats().byVenue.okx).toBeGreaterThan(before!);
      }
      expect(gaps).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps okx requests flat whatever users type, and names okx as unchecked (items 1 and 5)', async () => {
    elapsed = 0;
    const replay = await startReplayApp({ existingServer: server, server: { clock }, env: { VENUE_TIMEOUT_MS: '1500' } });
    try {
      server.resetStats();
      const first = await replay.app.market.curves('FOO').catch((e: unknown) => e);
      expect(first).toBeInstanceOf(UnknownAssetError);
      expect((first as UnknownAssetError).unchecked.map((failure) => failure.venue)).toEqual(['okx']);
      const afterOne = server.stats().byVenue.okx!;
      const assets = Array.from({ length: 200 }, (_, index) => `ZZ${index}Q`);
      for (const asset of assets) {
        const error = await replay.app.market.curves(asset).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UnknownAssetError);
        expect((error as UnknownAssetError).unchecked).toEqual([{ venue: 'okx', error: expect.stringMatching(/^market list unavailable/) }]);
      }
      expect(server.stats().byVenue.okx).toBe(afterOne);
      const answer = await replay.app.dispatcher.handleText('/basis FOO', CONSOLE_CALLER);
      expect(answer?.ok).toBe(false);
      expect(answer?.data).toMatchObject({ error: 'unknown-asset', unchecked: [{ venue: 'okx' }] });
      const text = renderForConsole(answer!.reply);
      expect(text).toMatch(/^Unknown asset FOO: not listed on binance, bybit, deribit\./);
      expect(text).toMatch(/Could not check okx \(market list unavailable/);
      console.log(`okx requests: ${afterOne} for the first made-up asset, ${server.stats().byVenue.okx} after ${assets.length + 1}`);
      elapsed = 10 * 60_000; // past any backoff: exactly one more load
      await replay.app.market.curves('ZZTOP').catch(() => undefined);
      const afterRetry = server.stats().byVenue.okx!;
      expect(afterRetry).toBeGreaterThan(afterOne);
      for (const asset of assets.slice(0, 50)) await replay.app.market.curves(asset).catch(() => undefined);
      expect(server.stats().byVenue.okx).toBe(afterRetry);
    } finally {
      await replay.close();
    }
  });
});
