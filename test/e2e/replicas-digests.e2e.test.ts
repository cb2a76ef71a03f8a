/**
 * Two `basisbot start` processes on one Redis, in webhook mode, with the fake Bot API: a
 * chat's daily digest fell due two minutes ago, while no bot ran. Both replicas come up at
 * once; whichever wins the push lease catches up on the missed slot, and the chat gets that
 * digest exactly once, late, with the note saying so, while both replicas answer commands.
 * (Slot claims under a race of two holders are tested in-process: test/lease/replicas-digests.) (The schedule is written through the app's own digest service on a
 * clock five minutes back, so no test waits for a minute to turn.)
 */
import pino from 'pino';
import { afterEach, describe, expect, it, onTestFailed, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { FakeTelegram } from '../fakes/telegram-api.js';
import { redisServerBinary as redisServer } from '../helpers/private-redis.js';
import { postUpdate, startReplica, startReplicaWorld } from './helpers/replica-process.js';

const redisUrl = process.env['REDIS_URL'];
if (!redisUrl) console.warn('replicas digests e2e: REDIS_URL is unset, skipped (CI sets it)');
else if (!redisServer) console.warn('replicas digests e2e: skipped, redis-server is not installed (it starts a Redis of its own)');

const USER = 701;
const MINUTE_MS = 60_000;

const toUser = (telegram: FakeTelegram) => telegram.sent.filter((message) => String(message.chatId) === String(USER));
const digestCharts = (telegram: FakeTelegram) => toUser(telegram).filter((message) => message.method === 'sendPhoto');

describe.skipIf(!redisUrl || !redisServer)('two basisbot processes on one Redis: digests', () => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('a slot missed while no bot ran is posted once, late, when two replicas start together', async () => {
    const { dir, redisPort, server, telegram } = await startReplicaWorld(cleanups);
    onTestFailed(() => console.error(toUser(telegram).map((message) => `${message.method}: ${message.text}`)));

    // Five minutes ago a user set the digest for the minute that began two minutes ago. (Set
    // closer to the slot, a slow seeder could date the schedule after the slot it is meant to miss.)
    const storeUrl = `redis://127.0.0.1:${redisPort}`;
    const back = () => Date.now() - 5 * MINUTE_MS;
    const slot = new Date(Math.floor((Date.now() - 2 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS);
    const hhmm = slot.toISOString().slice(11, 16);
    const seeder = await createApp(loadConfig({ DATA_DIR: dir, STORE_URL: storeUrl, VENUE_BASE_URL: server.url, LOG_LEVEL: 'silent' }), {
      now: back,
      log: pino({ level: 'silent' }),
      marketsCacheTag: 'replay',
    });
    const set = await seeder.services.digests!.set({ platform: 'telegram', chatId: String(USER), kind: 'private' }, `${hhmm} UTC BTC`, String(USER));
    expect(set.ok).toBe(true);
    await seeder.close();

    const setup = { redisPort, server, telegram, cleanups, env: { LEASE_TTL_MS: '3000' } };
    const [a, b] = await Promise.all([startReplica('a', setup), startReplica('b', setup)]);

    const chart = await telegram.waitFor(() => digestCharts(telegram)[0], 45_000);
    expect(chart.text).toMatch(/Basis digest/);
    expect(chart.text).toMatch(/Late: this digest was due at .*, while the bot was down/);
    // Both replicas answer; a round trip through each proves both are up and past start-up.
    await postUpdate(a, telegram, USER, '/digest show');
    await postUpdate(b, telegram, USER, '/digest show');
    await vi.waitFor(() => expect(toUser(telegram).filter((message) => /^<b>Digest schedule<\/b>[\s\S]*Every day at/.test(message.text ?? '')).length).toBeGreaterThanOrEqual(2), { timeout: 30_000, interval: 100 });
    expect(digestCharts(telegram)).toHaveLength(1);
    for (const replica of [a, b]) replica.bot.child.kill('SIGTERM');
    expect(await Promise.all([a.bot.exited, b.bot.exited])).toEqual([0, 0]);
    expect(digestCharts(telegram)).toHaveLength(1);
  }, 90_000);
});
