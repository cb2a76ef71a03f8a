/**
 * Serve-stale-while-refresh through the real app, real ccxt and the replay, on an injected
 * clock: which assets get it (watched, recently asked), how the answer says how old its
 * quotes are, and that the venue sees no more requests than without it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONSOLE_CALLER } from '../../src/adapters/console/session.js';
import { renderForConsole } from '../../src/render/console.js';
import { startReplayApp, type ReplayApp } from '../helpers/replay-app.js';

const START = Date.UTC(2026, 10, 25, 12, 0, 0);
const TTL = 5_000;

describe('serve-stale-while-refresh on the replay', () => {
  let replay: ReplayApp;
  let elapsed = 0;
  beforeAll(async () => {
    replay = await startReplayApp({
      server: { clock: () => START + elapsed },
      env: { VENUE_TIMEOUT_MS: '8000', QUOTE_TTL_MS: String(TTL), WATCH_LIST: 'BTC' },
    });
  });
  afterAll(async () => replay.close());
  /** As a command asks: a user is waiting, so stale quotes within the grace period will do. */
  const ask = (asset: string) => replay.app.market.curves(asset, undefined, { allowStale: true });

  it('answers a watched asset past the TTL from cache, says how old, and refreshes once in the background', async () => {
    const { app, server } = replay;
    await app.market.knownAssets(); // market lists loaded: what follows counts quote requests only
    server.resetStats();
    await ask('BTC');
    const oneFetch = server.stats().total;
    server.resetStats();

    elapsed += TTL + 1_000;
    expect(app.market.isCached('BTC')).toBe(true);
    const answers = await Promise.all(Array.from({ length: 20 }, () => ask('BTC')));
    for (const set of answers) {
      expect(set.failures).toEqual([]);
      for (const curve of set.curves) expect(curve.refreshing?.quotesAgeMs).toBe(TTL + 1_000);
    }
    // The command's reply says how old its quotes are, in the text the user reads.
    const reply = await app.dispatcher.handleText('/basis BTC', CONSOLE_CALLER);
    expect(renderForConsole(reply!.reply)).toContain('binance 6.0 s (cached 6.0 s ago, refreshing)');
    // Pushed work (alert ticks, digests) takes no stale quotes: it joins the refresh under way.
    const pushed = await app.market.curves('BTC');
    expect(pushed.curves.every((curve) => curve.refreshing === undefined)).toBe(true);

    // Once the one refresh has landed, the answer is fresh again.
    await vi.waitFor(async () => {
      const set = await ask('BTC');
      expect(set.curves.every((curve) => curve.refreshing === undefined)).toBe(true);
    });
    // 22 answers past the TTL cost the venues exactly what one fetch costs.
    expect(server.stats().total).toBe(oneFetch);

    // Not watched and never asked: past the TTL it waits for the venue instead.
    elapsed += TTL;
    const strict = await ask('SOL');
    expect(strict.curves.length).toBeGreaterThan(0);
    expect(strict.curves.every((curve) => curve.refreshing === undefined)).toBe(true);
  });

  it('serves a recently asked asset from cache past the TTL, but not one never asked', async () => {
    const { app } = replay;
    await ask('ETH');
    elapsed += TTL + 500;
    expect(app.market.isCached('ETH')).toBe(true);
    expect(app.market.isCached('DOGE')).toBe(false);
    const eth = await ask('ETH');
    expect(eth.curves.length).toBeGreaterThan(0);
    expect(eth.curves.every((curve) => curve.refreshing?.quotesAgeMs === TTL + 500)).toBe(true);
    await vi.waitFor(async () => {
      const set = await ask('ETH');
      expect(set.curves.every((curve) => curve.refreshing === undefined)).toBe(true);
    });
  });
});

describe('QUOTE_GRACE_MS=0', () => {
  it('turns stale-serving off: a watched asset past the TTL waits for fresh quotes', async () => {
    let elapsed = 0;
    const replay = await startReplayApp({
      server: { clock: () => START + elapsed },
      env: { VENUE_TIMEOUT_MS: '8000', QUOTE_TTL_MS: String(TTL), WATCH_LIST: 'BTC', QUOTE_GRACE_MS: '0' },
    });
    try {
      await replay.app.market.curves('BTC', undefined, { allowStale: true });
      elapsed += TTL + 1_000;
      replay.server.resetStats();
      const set = await replay.app.market.curves('BTC', undefined, { allowStale: true });
      expect(set.curves.every((curve) => curve.refreshing === undefined)).toBe(true);
      expect(replay.server.stats().total).toBeGreaterThan(0); // it went to the venues before answering
    } finally {
      await replay.close();
    }
  });
});
