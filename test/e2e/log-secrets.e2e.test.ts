/**
 * Issue 11 item 6, end to end: the real app (ccxt on the replay, SQLite, the outbox) with both
 * chat adapters, real telegraf and real discord.js against the fakes, logging at trace through
 * the production logger (createLogger) into memory. Calls fail on both platforms along the way:
 * Telegram's setMyCommands and a sendMessage, a Discord interaction callback, an edit of the
 * answer and an ephemeral follow-up, whose URLs all carry a token. Then every log line is
 * grepped for every token used. test/logger-redaction.test.ts checks the patterns one by one;
 * this checks that nothing a real run logs (library errors included) slips past them.
 */
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../src/adapters/discord/adapter.js';
import { TelegramAdapter } from '../../src/adapters/telegram/adapter.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startReplayServer, type ReplayServer } from '../../src/market/replay/server.js';
import { startFakeDiscord, type FakeDiscord, type FakeInteraction } from '../fakes/discord-server.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { answered, callbacks, settled } from '../adapters/discord/helpers.js';
import { tempDataDir } from '../helpers/replay-app.js';

// Shaped like BotFather's, so the redaction has to recognise it (the fake's default is too short).
const TELEGRAM_TOKEN = '7654321098:AAHd4sEx-ampleTokenFromBotFather_xyz12';
const CHAT = 8101;

interface Run {
  lines: string[];
  telegram: FakeTelegram;
  discord: FakeDiscord;
  interactions: FakeInteraction[];
}

let run: Run;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

/** The production logger at trace, writing into memory: what an operator's log collector would get. */
function memoryLog(): { log: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger('trace', { pretty: false, destination: sink }), lines };
}

async function startBot(): Promise<{ app: App; server: ReplayServer; lines: string[]; telegram: FakeTelegram; discord: FakeDiscord }> {
  const { log, lines } = memoryLog();
  const server = await startReplayServer({});
  const dataDir = tempDataDir();
  cleanups.push(() => server.close(), () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const app = await createApp(loadConfig({ VENUE_BASE_URL: server.url, DATA_DIR: dataDir, LOG_LEVEL: 'trace' }), { log, marketsCacheTag: 'replay' });
  cleanups.push(() => app.close());
  const telegram = await startFakeTelegram({ token: TELEGRAM_TOKEN });
  const discord = await startFakeDiscord();
  cleanups.push(() => telegram.close(), () => discord.close());
  // node-fetch's error for a dropped connection names the whole URL, token included.
  telegram.injectFault({ method: 'setMyCommands', status: 'reset' });
  app.connect(new TelegramAdapter({ token: telegram.token, apiRoot: telegram.apiRoot, dispatcher: app.dispatcher, log, pacer: app.outbox }));
  app.connect(new DiscordAdapter({ token: discord.token, guildId: discord.guildId, apiBase: discord.apiBase, dispatcher: app.dispatcher, log }));
  await app.start();
  return { app, server, lines, telegram, discord };
}

const toChat = (telegram: FakeTelegram) => telegram.sent.filter((message) => message.chatId === String(CHAT));

beforeAll(async () => {
  const { lines, telegram, discord } = await startBot();
  const interactions: FakeInteraction[] = [];

  // Telegram: an answer whose first send is refused by the server, then ordinary traffic.
  telegram.injectFault({ method: 'sendMessage', status: 'reset', chatId: CHAT });
  telegram.pushMessage(CHAT, '/funding BTC');
  telegram.pushMessage(CHAT, '/basis NOPE');
  telegram.pushMessage(CHAT, '/explain contango');
  await telegram.waitFor(() => toChat(telegram).some((message) => /contango/i.test(message.visibleText) && /Futures|spot/.test(message.visibleText)), 30_000);

  // Discord: the first answer refused (10062), an edit refused (400), an error follow-up refused (403, every time).
  discord.fail('POST', '/callback', { kind: 'status', status: 404, code: 10062, message: 'Unknown interaction' });
  const lost = discord.command('basis', { asset: 'BTC' });
  interactions.push(lost);
  await settled(discord, () => callbacks(discord, lost).length > 0 && lines.some((line) => line.includes('10062')), 30_000);

  discord.fail('PATCH', '@original', { kind: 'status', status: 400, code: 50035, message: 'Invalid Form Body' });
  const unedited = discord.command('funding', { asset: 'ETH' });
  interactions.push(unedited);
  await settled(discord, () => discord.callsFor(unedited).some((call) => call.method === 'PATCH') && lines.some((line) => line.includes('50035')), 30_000);

  discord.fail('POST', /^\/webhooks\//, { kind: 'status', status: 403, code: 50001, message: 'Missing Access' }, Infinity);
  const refusedFollowUp = discord.command('basis', { asset: 'NOPE' });
  interactions.push(refusedFollowUp);
  await settled(discord, () => discord.callsFor(refusedFollowUp).some((call) => call.method === 'POST' && call.path.startsWith('/webhooks/')) && lines.some((line) => line.includes('50001')), 30_000);
  discord.clearFailures();

  const fine = discord.command('curve', { asset: 'SOL' });
  interactions.push(fine);
  await answered(discord, fine);
  run = { lines, telegram, discord, interactions };
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('no token in any log line of a run on both platforms, at trace (issue 11 item 6)', () => {
  it('the run logged a lot, at every level down to trace, including each failure', () => {
    const levels = new Set(run.lines.map((line) => (JSON.parse(line) as { level: number }).level));
    expect(run.lines.length).toBeGreaterThan(20);
    expect(levels).toContain(10); // trace lines were written, so nothing was hidden by the level
    expect(levels).toContain(40);
    for (const code of ['10062', '50035', '50001']) expect(run.lines.some((line) => line.includes(code)), code).toBe(true);
    expect(run.lines.some((line) => /setMyCommands/.test(line) && /fail/i.test(line))).toBe(true);
  });

  it('every Discord interaction token and the bot tokens are absent from every line', () => {
    const secrets = [run.discord.token, TELEGRAM_TOKEN, TELEGRAM_TOKEN.split(':')[1], ...run.interactions.map((interaction) => interaction.token)];
    for (const interaction of run.interactions) expect(interaction.token).toMatch(/^itoken-\d+-[a-z0-9]+$/);
    const leaks = run.lines.flatMap((line, index) => secrets.filter((secret) => line.includes(secret)).map((secret) => `line ${index}: ${secret}`));
    expect(leaks).toEqual([]);
  });

  it('the failing URLs were logged with the token cut out, not dropped: the redaction did the work', () => {
    const text = run.lines.join('\n');
    expect(text).toMatch(/\/interactions\/\d+\/\[redacted\]\/callback/);
    expect(text).toMatch(/\/webhooks\/\d+\/\[redacted\]/);
    // telegraf cuts the secret itself ([REDACTED]); ours ([redacted]) covers what it misses.
    expect(text).toMatch(/\/bot(?:\d+:)?\[redacted\]\/setMyCommands/i);
  });
});
