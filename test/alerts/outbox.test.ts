import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAlerts, type AlertsFeature } from '../../src/alerts/index.js';
import { Outbox } from '../../src/delivery/outbox.js';
import { Scheduler } from '../../src/schedule/scheduler.js';
import { fakeSender } from '../delivery/fake-sender.js';
import { startReplayApp, type ReplayApp } from '../helpers/replay-app.js';
import { telegramUser, testClock } from './harness.js';

/** The alerts feature on the real outbox: owner callbacks come back through its routing. */
describe('alerts through the real outbox', () => {
  const clock = testClock();
  let replay: ReplayApp;
  let outbox: Outbox;
  let feature: AlertsFeature;
  let blocked = false;
  const sender = fakeSender({ decide: () => (blocked ? { status: 'unreachable', reason: '403: bot was blocked by the user' } : { status: 'sent' }) });
  const scheduler = new Scheduler(pino({ level: 'silent' }));

  beforeAll(async () => {
    replay = await startReplayApp({ server: { clock: clock.now } });
    const log = pino({ level: 'silent' });
    outbox = new Outbox({ senders: { telegram: { send: sender.send, canReach: async () => true } }, store: replay.app.stores.open('outbox'), log });
    feature = createAlerts({ stores: replay.app.stores, market: replay.app.market, push: outbox.pushService(), scheduler, renderCurveChart: replay.app.services.renderCurveChart, config: replay.app.config, now: clock.now, log });
    outbox.registerOwner(feature.name, feature.owner);
    await outbox.start();
    await feature.start();
    scheduler.cancel('alerts');
  });
  afterAll(async () => {
    await feature.stop();
    await scheduler.stop();
    await outbox.stop({ drain: false, timeoutMs: 1_000 });
    await replay.close();
  });

  it('a crossing is sent once and its pending record cleared by delivered; a blocked user pauses the rules', async () => {
    const alice = telegramUser('1001');
    const added = await feature.add(alice, { asset: 'SOL', metric: 'funding', direction: 'above', threshold: 0, tenor: 'perp', cooldownMs: 60_000, band: 0.01, here: false });
    expect(added.ok).toBe(true);
    replay.server.shift({ asset: 'SOL', funding: 0.6 });
    clock.advance(10_000);
    await feature.tick();
    await outbox.whenIdle();
    expect(sender.delivered.map((r) => [r.chatId, r.text])).toEqual([['1001', expect.stringContaining('It went above on binance, okx, bybit, deribit.')]]);
    // The owner callback runs after the outbox's own bookkeeping.
    await vi.waitFor(() => expect(feature.rules()[0].pending).toEqual([]));

    blocked = true;
    replay.server.shift({ asset: 'SOL', funding: -0.6 });
    clock.advance(120_000);
    await feature.tick();
    replay.server.shift({ asset: 'SOL', funding: 0.6 });
    clock.advance(120_000);
    await feature.tick();
    await outbox.whenIdle();
    await vi.waitFor(async () => {
      expect(feature.rules()[0].status).toBe('unreachable');
      expect(await feature.takeNotice(alice)).toContain('Your alerts were paused');
    });
  });
});
