/**
 * Shutdown of a real `basisbot start` process with pushes queued (issue 11 item 4): a second
 * SIGTERM during the drain only skips the rest of it, and the next start sends what was left,
 * so every message arrives exactly once and in order per chat.
 */
import fs from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import type { Target } from '../../src/core/adapter.js';
import { Outbox } from '../../src/delivery/outbox.js';
import type { QueuedMessage } from '../../src/delivery/queued-message.js';
import { createStoreFactory } from '../../src/store/index.js';
import { silentLog, textReply } from '../delivery/fake-sender.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { tempDataDir } from '../helpers/replay-app.js';
import { startBot } from './helpers/bot-process.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const CHATS = ['9001', '9002'];
const PER_CHAT = 8;

/** Queues the pushes into DATA_DIR's store the way a previous run would have left them. */
async function queuePushes(dataDir: string): Promise<void> {
  const stores = createStoreFactory({ dataDir });
  const outbox = new Outbox({ senders: { telegram: { send: async () => ({ status: 'sent' }) } }, store: stores.open<QueuedMessage[]>('outbox'), log: silentLog() });
  for (let i = 1; i <= PER_CHAT; i++) {
    for (const chatId of CHATS) outbox.enqueue({ platform: 'telegram', chatId, kind: 'private' } satisfies Target, textReply(`push ${chatId} #${i}`));
  }
  await outbox.flush();
  await stores.close();
}

const pushesTo = (telegram: FakeTelegram, chatId: string) =>
  telegram.sent.filter((message) => String(message.chatId) === chatId && /^push /.test(message.text ?? '')).map((message) => message.text);

it('a second SIGTERM skips the drain; the next start sends the rest, nothing twice, in order', async () => {
  const telegram = await startFakeTelegram({ rateLimits: true });
  const dataDir = tempDataDir();
  cleanups.push(() => telegram.close(), () => fs.rmSync(dataDir, { recursive: true, force: true }));
  await queuePushes(dataDir);
  const env = { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, DATA_DIR: dataDir };

  const first = startBot(env, ['--market', 'replay']);
  cleanups.push(() => void first.child.kill('SIGKILL'));
  // At about one a second per chat, the queue takes 8 s: stop it part way through.
  await telegram.waitFor(() => pushesTo(telegram, CHATS[0]).length >= 2, 30_000);
  first.child.kill('SIGTERM');
  await telegram.waitFor(() => pushesTo(telegram, CHATS[0]).length >= 3, 30_000);
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  const sentBefore = CHATS.map((chatId) => pushesTo(telegram, chatId).length);
  expect(sentBefore.every((count) => count < PER_CHAT)).toBe(true);

  const second = startBot(env, ['--market', 'replay']);
  cleanups.push(() => void second.child.kill('SIGKILL'));
  await telegram.waitFor(() => CHATS.every((chatId) => pushesTo(telegram, chatId).length >= PER_CHAT), 60_000);
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  for (const chatId of CHATS) {
    expect(pushesTo(telegram, chatId)).toEqual(Array.from({ length: PER_CHAT }, (_, i) => `push ${chatId} #${i + 1}`));
  }
  expect(telegram.calls.filter((call) => call.status === 429)).toHaveLength(0);
}, 120_000);
