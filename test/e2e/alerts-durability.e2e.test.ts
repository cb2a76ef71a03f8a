/**
 * A crossing survives a crash: `basisbot start` is killed with SIGKILL after the crossing was
 * recorded and while its message is still on the wire (the fake Bot API holds the send), then
 * started again on the same DATA_DIR. The rule is still there and the crossing arrives exactly
 * once; a third start re-sends nothing.
 */
import fs from 'node:fs';
import { afterEach, expect, it, onTestFailed } from 'vitest';
import { startReplayServer } from '../../src/market/replay/server.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { tempDataDir } from '../helpers/replay-app.js';
import { startBot } from './helpers/bot-process.js';

const USER = 501;
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const toUser = (telegram: FakeTelegram) => telegram.sent.filter((message) => String(message.chatId) === String(USER));
const crossings = (telegram: FakeTelegram) => toUser(telegram).filter((message) => /went above/.test(message.text ?? ''));

it('delivers a crossing recorded before a SIGKILL exactly once after the restart', async () => {
  const server = await startReplayServer();
  const telegram = await startFakeTelegram();
  const dataDir = tempDataDir();
  cleanups.push(() => server.close(), () => telegram.close(), () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env = { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, VENUE_BASE_URL: server.url, DATA_DIR: dataDir, ALERT_CHECK_SECONDS: '1' };
  const run = (): ReturnType<typeof startBot> => {
    const bot = startBot(env);
    cleanups.push(() => void bot.child.kill('SIGKILL'));
    onTestFailed(() => console.error(bot.stderr().slice(-1500)));
    return bot;
  };
  const polls = () => telegram.calls.filter((call) => call.method === 'getUpdates').length;

  onTestFailed(() => console.error(toUser(telegram).map((message) => message.text)));
  const first = run();
  await telegram.waitFor(() => polls() > 0, 30_000);
  telegram.pushMessage(USER, '/alert add SOL apr above 0%');
  await telegram.waitFor(() => toUser(telegram).find((message) => /SOL/.test(message.text ?? '')), 30_000);

  // The next message to the user is held on the wire: recorded as pending, never acknowledged.
  telegram.injectFault({ method: 'sendMessage', status: 'hang', chatId: USER });
  server.shift({ asset: 'SOL', apr: 0.3 });
  await telegram.waitFor(() => telegram.calls.some((call) => call.method === 'sendMessage' && call.status === 0 && String(call.params['chat_id']) === String(USER)), 30_000);
  first.child.kill('SIGKILL');
  await first.exited;
  expect(crossings(telegram)).toHaveLength(0);

  const second = run();
  await telegram.waitFor(() => crossings(telegram)[0], 30_000);
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);

  // A third start: the delivered crossing is not sent again, and the rule is still listed.
  const third = run();
  const before = polls();
  await telegram.waitFor(() => polls() > before, 30_000);
  telegram.pushMessage(USER, '/alert list');
  // Just fired: the rule is listed, cooling down (it re-arms past the band, after its cooldown).
  await telegram.waitFor(() => toUser(telegram).find((message) => /Your alerts[\s\S]*cooling down/.test(message.text ?? '')), 30_000);
  expect(crossings(telegram)).toHaveLength(1);
  third.child.kill('SIGTERM');
  expect(await third.exited).toBe(0);
}, 150_000);
