/**
 * Two `basisbot start` processes on one Redis, in webhook mode, with the fake Bot API: a user
 * adds an alert through replica b (which does not hold the push lease), the market crosses,
 * and the holder a is killed with SIGKILL while the crossing is on the wire. b takes over
 * within the lease period and the user gets the crossing exactly once.
 *
 * The Redis is a private redis-server on a free port (as in readyz-redis.test.ts), so the
 * bots' unprefixed keys (the lease, the rules) never meet another test's on the shared one.
 */
import { afterEach, describe, expect, it, onTestFailed, vi } from 'vitest';
import type { FakeTelegram } from '../fakes/telegram-api.js';
import { redisServerBinary as redisServer } from '../helpers/private-redis.js';
import { postUpdate, startReplica, startReplicaWorld } from './helpers/replica-process.js';

const redisUrl = process.env['REDIS_URL'];
if (!redisUrl) console.warn('replicas e2e: REDIS_URL is unset, skipped (CI sets it)');
else if (!redisServer) console.warn('replicas e2e: skipped, redis-server is not installed (it starts a Redis of its own)');

const USER = 601;
const LEASE_TTL_MS = 3_000;

const toUser = (telegram: FakeTelegram) => telegram.sent.filter((message) => String(message.chatId) === String(USER));
const crossings = (telegram: FakeTelegram) => toUser(telegram).filter((message) => /went above/.test(message.text ?? ''));

describe.skipIf(!redisUrl || !redisServer)('two basisbot processes on one Redis', () => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('an alert added on the replica without the lease is delivered once, even with the holder SIGKILLed mid-send', async () => {
    const { redisPort, server, telegram } = await startReplicaWorld(cleanups);
    onTestFailed(() => console.error(toUser(telegram).map((message) => message.text)));

    const setup = { redisPort, server, telegram, cleanups, env: { ALERT_CHECK_SECONDS: '1', LEASE_TTL_MS: String(LEASE_TTL_MS) } };
    const replica = (name: string) => startReplica(name, setup);

    const a = await replica('a');
    await vi.waitFor(() => expect(a.bot.stderr()).toMatch(/this replica now runs the pushed work/), { timeout: 10_000, interval: 100 });
    const b = await replica('b');
    expect(b.bot.stderr()).not.toMatch(/this replica now runs the pushed work/);

    await postUpdate(b, telegram, USER, '/alert add SOL apr above 0%');
    await telegram.waitFor(() => toUser(telegram).find((message) => /Alert #\d+/.test(message.text ?? '')), 30_000);

    // The holder's next message to the user never gets an answer; then the holder dies.
    telegram.injectFault({ method: 'sendMessage', status: 'hang', chatId: USER });
    server.shift({ asset: 'SOL', apr: 0.3 });
    await telegram.waitFor(() => telegram.calls.some((call) => call.method === 'sendMessage' && call.status === 0 && String(call.params['chat_id']) === String(USER)), 30_000);
    a.bot.child.kill('SIGKILL');
    await a.bot.exited;
    expect(crossings(telegram)).toHaveLength(0);

    await telegram.waitFor(() => crossings(telegram)[0], 30_000);
    expect(b.bot.stderr()).toMatch(/this replica now runs the pushed work/);
    // b keeps ticking as holder; a later command round trip proves it is alive, and nothing was re-sent.
    await postUpdate(b, telegram, USER, '/alert list');
    await telegram.waitFor(() => toUser(telegram).find((message) => /Your alerts/.test(message.text ?? '')), 30_000);
    expect(crossings(telegram)).toHaveLength(1);
    b.bot.child.kill('SIGTERM');
    expect(await b.bot.exited).toBe(0);
  }, 90_000);
});
