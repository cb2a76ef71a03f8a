/**
 * Who may administer a chat (Caller.isAdmin from getChatMember, cached), buttons that run a
 * command line as whoever presses them, and canReach for pushes to private chats.
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatAdmins } from '../../../src/adapters/telegram/admins.js';
import type { TelegramApi } from '../../../src/adapters/telegram/api.js';
import type { TelegramAdapter } from '../../../src/adapters/telegram/adapter.js';
import type { Command } from '../../../src/core/command.js';
import { Dispatcher } from '../../../src/core/dispatch.js';
import type { Services } from '../../../src/core/services.js';
import { startFakeTelegram, type FakeTelegram } from '../../fakes/telegram-api.js';
import { adapterFor, captureLogger, sentTo } from './helpers.js';

let telegram: FakeTelegram;
let adapter: TelegramAdapter;

afterEach(async () => {
  await adapter?.stop();
  await telegram?.close();
});

const whoami: Command = {
  name: 'whoami',
  description: 'Says whether the caller administers the chat',
  options: [],
  run: async (input) => ({
    ok: true,
    reply: { blocks: [{ kind: 'text', text: `user ${input.user.id} admin=${String(input.isAdmin)}` }], actions: [{ id: '/whoami', label: 'Me?' }] },
  }),
};

async function startBot(): Promise<void> {
  telegram = await startFakeTelegram();
  const { log } = captureLogger();
  const dispatcher = new Dispatcher([whoami], { services: {} as Services, now: () => Date.now() }, log, { flood: false });
  adapter = adapterFor(telegram, log, { dispatcher });
  await adapter.start();
}

const memberLookups = () => telegram.calls.filter((call) => call.method === 'getChatMember');
const answers = (chatId: number) => sentTo(telegram, chatId).map((message) => message.visibleText);

describe('Telegram caller rights', () => {
  it('treats the user of a private chat as its admin without asking Telegram', async () => {
    await startBot();
    telegram.pushMessage(42, '/whoami');
    await telegram.waitFor(() => sentTo(telegram, 42).length === 1);
    expect(answers(42)).toEqual(['user 42 admin=true']);
    expect(memberLookups()).toHaveLength(0);
  });

  it('asks getChatMember in a group (creator and administrators are admins) and caches the answer', async () => {
    await startBot();
    const group = -100777;
    telegram.setChatAdmins(group, { creator: 503, administrators: [501] });
    for (const fromId of [501, 502, 503, 501, 502]) telegram.pushMessage(group, '/whoami', { fromId, chatType: 'supergroup' });
    await telegram.waitFor(() => sentTo(telegram, group).length === 5);
    expect(answers(group).sort()).toEqual(['user 501 admin=true', 'user 501 admin=true', 'user 502 admin=false', 'user 502 admin=false', 'user 503 admin=true']);
    expect(memberLookups().map((call) => Number(call.params.user_id)).sort()).toEqual([501, 502, 503]);
  });

  it('runs a button as whoever pressed it, with their own rights', async () => {
    await startBot();
    const group = -100778;
    telegram.setChatAdmins(group, { administrators: [601] });
    telegram.pushMessage(group, '/whoami', { fromId: 601, chatType: 'supergroup' });
    const [first] = await telegram.waitFor(() => sentTo(telegram, group).length === 1 && sentTo(telegram, group));
    expect(first.replyMarkup?.inline_keyboard[0]).toEqual([{ text: 'Me?', callback_data: 'a:/whoami' }]);
    telegram.pushCallback(group, first.messageId, 'a:/whoami', { fromId: 602 });
    await telegram.waitFor(() => sentTo(telegram, group).length === 2);
    expect(answers(group)).toEqual(['user 601 admin=true', 'user 602 admin=false']);
  });
});

describe('ChatAdmins cache', () => {
  function api(statuses: (string | Error)[]) {
    const calls: unknown[] = [];
    const fake = {
      callApi: async (method: string, payload: unknown) => {
        calls.push([method, payload]);
        const next = statuses.shift()!;
        if (next instanceof Error) throw next;
        return { status: next };
      },
    } as unknown as TelegramApi;
    return { fake, calls };
  }

  it('asks again after a minute, and never caches a failed lookup', async () => {
    let now = 0;
    const { fake, calls } = api([new Error('socket hang up'), 'administrator', 'left']);
    const admins = new ChatAdmins(fake, pino({ level: 'silent' }), () => now);
    const chat = { id: -1001, type: 'supergroup' };
    expect(await admins.isAdmin(chat, 7)).toBe(false);
    expect(await admins.isAdmin(chat, 7)).toBe(true);
    now += 59_000;
    expect(await admins.isAdmin(chat, 7)).toBe(true);
    expect(calls).toHaveLength(2);
    now += 2_000;
    expect(await admins.isAdmin(chat, 7)).toBe(false);
    expect(calls).toHaveLength(3);
  });
});

describe('TelegramAdapter.canReach', () => {
  it('probes a private chat with "typing": true when accepted, false when blocked; undefined for groups', async () => {
    await startBot();
    telegram.setChatState(77, 'blocked');
    expect(await adapter.canReach({ platform: 'telegram', chatId: '42', kind: 'private' })).toBe(true);
    expect(await adapter.canReach({ platform: 'telegram', chatId: '77' })).toBe(false);
    expect(await adapter.canReach({ platform: 'telegram', chatId: '-100123', kind: 'group' })).toBeUndefined();
    expect(telegram.calls.filter((call) => call.method === 'sendChatAction').map((call) => [call.params.chat_id, call.status])).toEqual([
      [42, 200],
      [77, 403],
    ]);
  });
});
