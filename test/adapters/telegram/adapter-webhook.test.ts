/**
 * Webhook mode: the adapter registers its URL and secret with setWebhook and answers only
 * updates that carry the secret in X-Telegram-Bot-Api-Secret-Token.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelegramAdapter } from '../../../src/adapters/telegram/adapter.js';
import { startFakeTelegram, type FakeTelegram, type Update } from '../../fakes/telegram-api.js';
import { adapterFor, captureLogger, sentTo, testDispatcher, testRegistry } from './helpers.js';

const SECRET = 'hook-Secret_123';
const PUBLIC_URL = 'https://bot.example.test/telegram/hook';
let telegram: FakeTelegram;
let adapter: TelegramAdapter;

function post(update: Update, secret?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
  return fetch(`http://127.0.0.1:${adapter.webhookPort()}/telegram/hook`, { method: 'POST', headers, body: JSON.stringify(update) });
}

beforeEach(async () => {
  telegram = await startFakeTelegram();
  adapter = adapterFor(telegram, captureLogger().log, { webhook: { url: PUBLIC_URL, port: 0, host: '127.0.0.1', secretToken: SECRET } });
  await adapter.start();
});

afterEach(async () => {
  await adapter.stop();
  await telegram.close();
});

describe('Telegram adapter: webhook mode', () => {
  it('registers the public URL with its secret and does not poll', async () => {
    expect(telegram.webhook).toEqual({ url: PUBLIC_URL, secretToken: SECRET });
    expect(telegram.calls.some((call) => call.method === 'getUpdates' || call.method === 'deleteWebhook')).toBe(false);
    expect(telegram.commands?.map((entry) => entry.command)).toEqual(['basis', 'curve', 'funding', 'report', 'help']);
  });

  it('refuses updates without the right secret token and answers those with it', async () => {
    expect((await post(telegram.messageUpdate(3, '/funding BTC'))).status).toBe(403);
    expect((await post(telegram.messageUpdate(3, '/funding BTC'), 'wrong-secret')).status).toBe(403);
    const accepted = await post(telegram.messageUpdate(3, '/funding SOL'), SECRET);
    expect(accepted.status).toBe(200);
    await telegram.waitFor(() => sentTo(telegram, 3).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sentTo(telegram, 3).map((message) => message.visibleText)).toEqual(['SOL funding\n\nbinance: +0.0100% / 8h']);
  });

  it('keeps the webhook set on stop so Telegram holds updates for the next instance', async () => {
    await adapter.stop();
    expect(telegram.webhook?.url).toBe(PUBLIC_URL);
    expect(adapter.webhookPort()).toBeUndefined();
  });

  it('rejects a secret token or a URL Telegram would refuse', () => {
    const { log } = captureLogger();
    const dispatcher = testDispatcher(testRegistry().commands, log);
    const build = (url: string, secretToken: string) => () => new TelegramAdapter({ token: 't', dispatcher, log, webhook: { url, port: 0, secretToken } });
    expect(build(PUBLIC_URL, 'has space')).toThrow(/secretToken/);
    expect(build('http://bot.example.test/hook', SECRET)).toThrow(/https/);
    expect(build('not a url', SECRET)).toThrow(/https/);
  });

  it('fails start() when the webhook port is taken', async () => {
    const second = adapterFor(telegram, captureLogger().log, { webhook: { url: PUBLIC_URL, port: adapter.webhookPort()!, host: '127.0.0.1', secretToken: SECRET } });
    await expect(second.start()).rejects.toThrow(/EADDRINUSE/);
    await second.stop();
  });
});
