/**
 * `basisbot start` on a Redis of its own (never the machine's shared one): /readyz turns 503,
 * naming the store, when that Redis stops, and 200 again when it comes back on the same
 * port, with no restart of the bot. The process survives the outage (the store errors are
 * handled, not crashes) and stops cleanly afterwards. And a second replica in long-polling
 * mode on that Redis is refused before it polls: webhook mode is required.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, onTestFailed, vi } from 'vitest';
import { startFakeTelegram } from '../fakes/telegram-api.js';
import { tempDataDir } from '../helpers/replay-app.js';
import { startBot } from './helpers/bot-process.js';
import { freePort, redisServerBinary, startPrivateRedis, stopPrivateRedis } from '../helpers/private-redis.js';

if (!redisServerBinary) console.warn('readyz-redis: skipped, redis-server is not installed (it starts a Redis of its own to stop and restart)');

async function readiness(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: await response.text() };
}

describe.skipIf(!redisServerBinary)('basisbot start: /readyz follows Redis', () => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('goes unready when Redis stops and ready again when it comes back', async () => {
    const dataDir = tempDataDir();
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const redisPort = await freePort();
    let redis = await startPrivateRedis(redisPort, dataDir);
    cleanups.push(() => stopPrivateRedis(redis));
    const telegram = await startFakeTelegram();
    cleanups.push(() => telegram.close());
    const httpPort = await freePort();
    const url = `http://127.0.0.1:${httpPort}`;

    const bot = startBot(
      {
        DATA_DIR: dataDir,
        STORE_URL: `redis://127.0.0.1:${redisPort}`,
        HTTP_PORT: String(httpPort),
        HTTP_HOST: '127.0.0.1',
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
      },
      ['--market', 'replay'],
    );
    cleanups.push(() => void bot.child.kill('SIGKILL'));
    // On a failure, the bot's own log says why.
    onTestFailed(() => void process.stderr.write(bot.stderr()));

    await vi.waitFor(async () => expect((await readiness(url)).status).toBe(200), { timeout: 30_000, interval: 200 });

    await stopPrivateRedis(redis);
    const down = await vi.waitFor(
      async () => {
        const answer = await readiness(url);
        expect(answer.status).toBe(503);
        return answer;
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(down.body).toMatch(/store/);

    redis = await startPrivateRedis(redisPort, dataDir);
    await vi.waitFor(async () => expect((await readiness(url)).status).toBe(200), { timeout: 30_000, interval: 200 });
    expect(bot.child.exitCode).toBeNull();

    bot.child.kill('SIGTERM');
    expect(await bot.exited, bot.stderr()).toBe(0);
  }, 120_000);

  it('refuses a second long-polling replica on the same Redis, asking for webhook mode (no 409 fight)', async () => {
    const dataDir = tempDataDir();
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const redisPort = await freePort();
    const redis = await startPrivateRedis(redisPort, dataDir);
    cleanups.push(() => stopPrivateRedis(redis));
    const telegram = await startFakeTelegram();
    cleanups.push(() => telegram.close());
    const env = {
      STORE_URL: `redis://127.0.0.1:${redisPort}`,
      LEASE_TTL_MS: '3000',
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
    };
    const first = startBot({ ...env, DATA_DIR: path.join(dataDir, 'a') }, ['--market', 'replay']);
    cleanups.push(() => void first.child.kill('SIGKILL'));
    await vi.waitFor(() => expect(first.stderr()).toMatch(/basisbot running/), { timeout: 30_000, interval: 100 });

    const second = startBot({ ...env, DATA_DIR: path.join(dataDir, 'b') }, ['--market', 'replay']);
    cleanups.push(() => void second.child.kill('SIGKILL'));
    onTestFailed(() => void process.stderr.write(`first:\n${first.stderr()}\nsecond:\n${second.stderr()}\n`));
    // Telegram is its only chat, so it cannot run at all: exit 1 with the reason, and the first keeps polling.
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toMatch(/already long-polling this bot token; with more than one replica, Telegram needs webhook mode: set TELEGRAM_WEBHOOK_URL/);
    expect(telegram.calls.filter((call) => call.status === 409)).toHaveLength(0);
    expect(first.child.exitCode).toBeNull();

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  }, 120_000);
});
