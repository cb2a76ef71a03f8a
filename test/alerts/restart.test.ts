import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayServer, type ReplayServer } from '../../src/market/replay/server.js';
import { tempDataDir } from '../helpers/replay-app.js';
import { startAlerts, telegramUser, testClock } from './harness.js';

const alice = telegramUser('1001');

describe('alerts across restarts (same DATA_DIR, new feature instance)', () => {
  const clock = testClock();
  let server: ReplayServer;
  let dataDir: string;

  beforeAll(async () => {
    server = await startReplayServer({ clock: clock.now });
    dataDir = tempDataDir();
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps rules and state; a pending crossing goes out exactly once after the restart; a fired rule is not re-sent', async () => {
    // First life: a rule fires, the process stops before the platform took the message.
    const first = await startAlerts({ clock, dataDir, server });
    expect((await first.say('/alert add SOL apr above 0%', alice)).ok).toBe(true);
    expect((await first.say('/alert add BTC funding above 90% cooldown=30m', alice)).ok).toBe(true);
    expect((await first.say('/alert remove 2', alice)).ok).toBe(true);
    server.shift({ asset: 'SOL', apr: 0.5 });
    clock.advance(10_000);
    await first.feature.tick();
    expect(first.push.queued.map((m) => m.id)).toEqual(['1:1']);
    await first.close();

    // Second life: a fresh outbox knows nothing; the stored pending crossing is enqueued again.
    const second = await startAlerts({ clock, dataDir, server });
    expect(second.push.queued.map((m) => m.id)).toEqual(['1:1']);
    expect(second.push.queued[0].text).toContain('It went above on binance, okx.');
    const listed = await second.say('/alert list', alice);
    expect(listed.text).toMatch(/1 \| SOL annualized basis .* \| fired at 2026-12-01 12:00 UTC|1 \| SOL annualized basis .* \| cooling down/);
    await second.push.deliver();
    expect(second.feature.rules()[0].pending).toEqual([]);
    clock.advance(10_000);
    await second.feature.tick();
    expect(second.push.queued).toHaveLength(0);
    await second.close();

    // Third life: nothing pending, the rule is still fired (no re-send while the market stays up),
    // and a removed rule's id is never handed out again.
    const third = await startAlerts({ clock, dataDir, server });
    expect(third.push.queued).toHaveLength(0);
    clock.advance(2 * 3_600_000);
    await third.feature.tick();
    expect(third.push.queued).toHaveLength(0);
    const added = await third.say('/alert add ETH state', alice);
    expect(added.data).toMatchObject({ id: 3 });
    expect(third.feature.rules().map((r) => r.id).sort()).toEqual([1, 3]);
    await third.close();
    server.resetShifts();
  });
});
