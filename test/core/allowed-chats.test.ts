/**
 * ALLOWED_CHATS: the list's parsing, the policy (Telegram chats, Discord servers, Discord
 * DMs by user, the console never restricted) and the Dispatcher refusing with one line.
 */
import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Caller, Command, CommandContext } from '../../src/core/command.js';
import { Dispatcher } from '../../src/core/dispatch.js';
import type { Services } from '../../src/core/services.js';
import { allowedChatsPolicy, parseAllowedChats } from '../../src/ops/allowed-chats.js';

const log = pino({ level: 'silent' });
let runs = 0;
const context: CommandContext = { services: {} as Services, now: () => 1_000_000 };
const ping: Command = {
  name: 'ping',
  description: 'ping',
  options: [],
  async run() {
    runs += 1;
    return { ok: true, reply: { blocks: [{ kind: 'text', text: 'pong' }] } };
  },
};

const telegramGroup = (chatId: string): Caller => ({ user: { id: '42' }, chat: { id: chatId, kind: 'group' }, platform: 'telegram' });
const discordGuild = (guildId: string, userId = '7'): Caller => ({
  user: { id: userId },
  chat: { id: 'channel-1', kind: 'group' },
  platform: 'discord',
  guildId,
});
const discordDm = (userId: string): Caller => ({ user: { id: userId }, chat: { id: 'dm-channel', kind: 'private' }, platform: 'discord' });
const consoleCaller: Caller = { user: { id: 'me' }, chat: { id: 'console', kind: 'private' }, platform: 'console', isAdmin: true };

function dispatcher(list: string): Dispatcher {
  return new Dispatcher([ping], context, log, { flood: false, allowChat: allowedChatsPolicy(parseAllowedChats(list)) });
}

const lines = (result: unknown): string[] =>
  ((result as { reply: { blocks: { text?: string }[] } }).reply.blocks ?? []).map((block) => block.text ?? '');

beforeEach(() => {
  runs = 0;
});

describe('parseAllowedChats', () => {
  it('reads bare and platform-prefixed ids, trimming spaces and empty entries', () => {
    expect(parseAllowedChats(' -1001234567890 , discord:812345678901234567,,telegram:99 ')).toEqual([
      { platform: undefined, id: '-1001234567890' },
      { platform: 'discord', id: '812345678901234567' },
      { platform: 'telegram', id: '99' },
    ]);
  });

  it('names the entry that is not an id, and refuses an empty list', () => {
    expect(() => parseAllowedChats('-100123,@mygroup')).toThrow(/"@mygroup" is not a chat id/);
    expect(() => parseAllowedChats('slack:123')).toThrow(/"slack:123"/);
    expect(() => parseAllowedChats(' , ')).toThrow(/at least one chat id/);
  });
});

describe('allowedChatsPolicy', () => {
  it('matches Telegram by chat, Discord by server, a Discord DM by user, and never restricts the console', () => {
    const allow = allowedChatsPolicy(parseAllowedChats('-100111,discord:555,discord:777'));
    expect(allow(telegramGroup('-100111'))).toBe(true);
    expect(allow(telegramGroup('-100222'))).toBe(false);
    expect(allow(discordGuild('555'))).toBe(true);
    expect(allow(discordGuild('556'))).toBe(false);
    // A channel id that happens to be listed does not let another server in: servers are matched.
    expect(allow({ ...discordGuild('556'), chat: { id: '555', kind: 'group' } })).toBe(false);
    expect(allow(discordDm('777'))).toBe(true);
    expect(allow(discordDm('778'))).toBe(false);
    expect(allow(consoleCaller)).toBe(true);
  });

  it('keeps a platform prefix to its platform, and reports each refusal', () => {
    const refused: string[] = [];
    const allow = allowedChatsPolicy(parseAllowedChats('telegram:555'), { onRefused: (caller) => refused.push(caller.platform) });
    expect(allow(telegramGroup('555'))).toBe(true);
    expect(allow(discordGuild('555'))).toBe(false);
    expect(refused).toEqual(['discord']);
  });
});

describe('Dispatcher with ALLOWED_CHATS', () => {
  it('runs commands in a listed chat and answers one polite line elsewhere, without running the command', async () => {
    const bot = dispatcher('-100111');
    expect(await bot.handleText('/ping', telegramGroup('-100111'))).toMatchObject({ ok: true });
    expect(runs).toBe(1);

    const refused = await bot.handleText('/ping', telegramGroup('-100222'));
    expect(refused).toMatchObject({ ok: false, reply: { tone: 'error' } });
    expect(lines(refused)).toHaveLength(1);
    expect(lines(refused)[0]).toMatch(/not enabled here \(chat -100222\).*ALLOWED_CHATS/);
    expect(runs).toBe(1);
  });

  it('refuses mistyped commands too, but stays silent on lines that are not for the bot', async () => {
    const bot = dispatcher('-100111');
    expect(lines(await bot.handleText('/nosuch', telegramGroup('-100222')))[0]).toContain('not enabled here');
    expect(await bot.handleText('hello everyone', telegramGroup('-100222'))).toBeUndefined();
  });

  it("refuses Discord's structured commands (run) from an unlisted server, naming the server", async () => {
    const bot = dispatcher('discord:555');
    expect(await bot.run('ping', {}, discordGuild('555'))).toMatchObject({ ok: true });
    const refused = await bot.run('ping', {}, discordGuild('999'));
    expect(refused.ok).toBe(false);
    expect(lines(refused)[0]).toContain('server 999');
    expect(runs).toBe(1);
  });

  it('never restricts the console, whatever the list says', async () => {
    const bot = dispatcher('-100111');
    expect(await bot.handleText('/ping', consoleCaller)).toMatchObject({ ok: true });
    expect(await bot.run('ping', {}, consoleCaller)).toMatchObject({ ok: true });
  });

  it('answers everywhere when no list is set', async () => {
    const bot = new Dispatcher([ping], context, log, { flood: false });
    expect(await bot.handleText('/ping', telegramGroup('-100222'))).toMatchObject({ ok: true });
    expect(await bot.run('ping', {}, discordGuild('999'))).toMatchObject({ ok: true });
  });

  it('is checked after the flood limit, so a refused chat that keeps typing is throttled like any other', async () => {
    const bot = new Dispatcher([ping], context, log, {
      flood: { limit: 1, windowMs: 60_000 },
      allowChat: allowedChatsPolicy(parseAllowedChats('-100111')),
    });
    const outsider = telegramGroup('-100222');
    expect(lines(await bot.handleText('/ping', outsider))[0]).toContain('not enabled here');
    expect(lines(await bot.handleText('/ping', outsider))[0]).toContain('faster than I can answer');
    expect(await bot.handleText('/ping', outsider)).toBeUndefined();
  });
});
