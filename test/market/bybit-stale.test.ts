import { describe, expect, it } from 'vitest';
import { startReplayApp } from '../helpers/replay-app.js';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const clock = () => NOW;
const TEN_MINUTES = 10 * 60_000;

describe('stale quotes on bybit (issue 11 item 16)', () => {
  it('dates bybit quotes by the answer time, so the stale fault flags them like elsewhere', async () => {
    const fresh = await startReplayApp({ server: { clock, faults: { bybit: { kind: 'stale', ageMs: TEN_MINUTES } } } });
    try {
      const set = await fresh.app.market.curves('BTC');
      const bybit = set.curves.find((curve) => curve.venue === 'bybit')!;
      expect(bybit.stale).toBe(true);
      expect(bybit.spot.ageMs).toBeGreaterThanOrEqual(TEN_MINUTES);
      expect(bybit.futures.length).toBeGreaterThan(0);
      expect(bybit.futures.every((future) => future.stale)).toBe(true);
      expect(set.curves.find((curve) => curve.venue === 'binance')!.stale).toBe(false);
    } finally {
      await fresh.close();
    }
  });

  it('keeps unaged bybit quotes fresh, dated within the replay’s quote ages', async () => {
    const fresh = await startReplayApp({ server: { clock } });
    try {
      const bybit = (await fresh.app.market.curves('BTC')).curves.find((curve) => curve.venue === 'bybit')!;
      expect(bybit.stale).toBe(false);
      expect(bybit.spot.ageMs).toBeGreaterThan(0); // the answer's time, not the moment of receipt
      expect(bybit.spot.ageMs).toBeLessThan(2_000);
    } finally {
      await fresh.close();
    }
  });
});
