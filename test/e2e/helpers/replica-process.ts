/**
 * One `basisbot start` replica for the multi-process tests: webhook mode on a port of its
 * own, state in the shared (private) Redis, markets from the replay, Telegram from the fake.
 */
import fs from 'node:fs';
import { expect, onTestFailed, vi } from 'vitest';
import { startReplayServer, type ReplayServer } from '../../../src/market/replay/server.js';
import { startFakeTelegram, type FakeTelegram } from '../../fakes/telegram-api.js';
import { freePort, startPrivateRedis, stopPrivateRedis } from '../../helpers/private-redis.js';
import { tempDataDir } from '../../helpers/replay-app.js';
import { startBot, type BotProcess } from './bot-process.js';

export const WEBHOOK_SECRET = 'replicas-e2e-secret';

export interface Replica {
  bot: BotProcess;
  /** The port its webhook listens on. */
  port: number;
}

export interface ReplicaSetup {
  redisPort: number;
  server: ReplayServer;
  telegram: FakeTelegram;
  /** Where the replica registers its clean-up (killed, DATA_DIR removed). */
  cleanups: (() => Promise<unknown> | unknown)[];
  env?: Record<string, string>;
}

/**
 * What the replicas share: a private redis-server (the bots' keys carry no test prefix, so they
 * must not meet another test's on the shared one), the replay and the fake Bot API. All of it
 * is registered in `cleanups`; `dir` is a scratch directory the test may use too.
 */
export async function startReplicaWorld(cleanups: ReplicaSetup['cleanups']): Promise<Omit<ReplicaSetup, 'cleanups' | 'env'> & { dir: string }> {
  const dir = tempDataDir();
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const redisPort = await freePort();
  const redis = await startPrivateRedis(redisPort, dir);
  cleanups.push(() => stopPrivateRedis(redis));
  const server = await startReplayServer();
  const telegram = await startFakeTelegram();
  cleanups.push(() => server.close(), () => telegram.close());
  return { dir, redisPort, server, telegram };
}

/** Starts a replica and resolves once its Telegram adapter is up. */
export async function startReplica(name: string, setup: ReplicaSetup): Promise<Replica> {
  const port = await freePort();
  const dataDir = tempDataDir();
  setup.cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const bot = startBot({
    DATA_DIR: dataDir,
    STORE_URL: `redis://127.0.0.1:${setup.redisPort}`,
    VENUE_BASE_URL: setup.server.url,
    TELEGRAM_BOT_TOKEN: setup.telegram.token,
    TELEGRAM_API_ROOT: setup.telegram.apiRoot,
    TELEGRAM_WEBHOOK_URL: 'https://bot.example.test/hook',
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_WEBHOOK_HOST: '127.0.0.1',
    TELEGRAM_WEBHOOK_PORT: String(port),
    ...setup.env,
  });
  setup.cleanups.push(() => void bot.child.kill('SIGKILL'));
  onTestFailed(() => console.error(`${name}:`, bot.stderr().slice(-2000)));
  await vi.waitFor(() => expect(bot.stderr()).toMatch(/telegram: started/), { timeout: 30_000, interval: 100 });
  return { bot, port };
}

/** What Telegram does in webhook mode: POSTs the update to the replica's webhook with the secret. */
export async function postUpdate(replica: Replica, telegram: FakeTelegram, chatId: number, text: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${replica.port}/hook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
    body: JSON.stringify(telegram.messageUpdate(chatId, text)),
  });
  expect(response.status).toBe(200);
}
