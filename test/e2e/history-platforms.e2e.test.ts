/**
 * `/history BTC 30d` end to end on both platforms: the real app (ccxt on the replay, SQLite)
 * behind real telegraf and real discord.js, against the fakes in test/fakes. The chart must
 * arrive as a picture a chat shows inline: a photo on Telegram, an image attachment that the
 * embed points at on Discord. A text-only fallback (or a chart sent as a document) fails here.
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../src/adapters/discord/adapter.js';
import { TelegramAdapter } from '../../src/adapters/telegram/adapter.js';
import { startFakeDiscord } from '../fakes/discord-server.js';
import { startFakeTelegram } from '../fakes/telegram-api.js';
import { answered, webhookAnswers } from '../adapters/discord/helpers.js';
import { startReplayApp } from '../helpers/replay-app.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Width and height from a PNG's IHDR chunk, which always follows the 8-byte signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString()).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** A drawn chart, not a placeholder: chart-sized, and more bytes than a blank canvas compresses to. */
function expectChart(bytes: Buffer): void {
  const { width, height } = pngSize(bytes);
  expect(width).toBeGreaterThanOrEqual(400);
  expect(height).toBeGreaterThanOrEqual(200);
  expect(bytes.length).toBeGreaterThan(5_000);
}

describe('/history BTC 30d on the chat platforms', () => {
  it('Telegram: the chart arrives as a photo (sendPhoto, accepted), captioned with the asset, and the text follows', async () => {
    const replay = await startReplayApp();
    cleanups.push(() => replay.close());
    const telegram = await startFakeTelegram();
    cleanups.push(() => telegram.close());
    replay.app.connect(new TelegramAdapter({ token: telegram.token, apiRoot: telegram.apiRoot, dispatcher: replay.app.dispatcher, log: pino({ level: 'silent' }), pacer: replay.app.outbox }));
    await replay.app.start();

    const chat = 7101;
    telegram.pushMessage(chat, '/history BTC 30d');
    const photo = await telegram.waitFor(() => telegram.sent.find((message) => message.chatId === String(chat) && message.method === 'sendPhoto'), 30_000);
    expectChart(photo.photo!.bytes);
    expect(photo.visibleText).toMatch(/BTC/);
    // The reading of the chart (level, rank, highest and lowest) comes with it, in order after the photo.
    const text = await telegram.waitFor(() => {
      const toChat = telegram.sent.filter((message) => message.chatId === String(chat));
      const all = toChat.slice(toChat.indexOf(photo)).map((message) => message.visibleText).join('\n');
      return /percentile/i.test(all) && all;
    }, 30_000);
    expect(text).toMatch(/30d|30 days/);
    expect(telegram.calls.filter((call) => call.method === 'sendPhoto').map((call) => call.status)).toEqual([200]);
    expect(telegram.calls.some((call) => call.method === 'sendDocument')).toBe(false);
  });

  it('Discord: the chart arrives as a PNG attachment on the answer, shown by its embed', async () => {
    const replay = await startReplayApp();
    cleanups.push(() => replay.close());
    const discord = await startFakeDiscord();
    cleanups.push(() => discord.close());
    replay.app.connect(new DiscordAdapter({ token: discord.token, guildId: discord.guildId, apiBase: discord.apiBase, dispatcher: replay.app.dispatcher, log: pino({ level: 'silent' }) }));
    await replay.app.start();

    const interaction = discord.command('history', { asset: 'BTC', window: '30d' });
    await answered(discord, interaction);
    const upload = webhookAnswers(discord, interaction).find((call) => call.files.length > 0);
    expect(upload, 'an edit or follow-up carrying a file').toBeDefined();
    const file = upload!.files[0];
    expect(file.contentType).toBe('image/png');
    expectChart(file.data);

    const message = discord.originalMessage(interaction)!;
    const attachment = message.attachments.find((entry) => entry.filename === file.name);
    expect(attachment?.content_type).toBe('image/png');
    expect(message.embeds.some((embed: { image?: { url: string } }) => embed.image?.url === `attachment://${file.name}`)).toBe(true);
    expect(JSON.stringify(message.embeds)).toMatch(/BTC/);
    expect(JSON.stringify(message.embeds)).toMatch(/percentile/i);
  });
});
