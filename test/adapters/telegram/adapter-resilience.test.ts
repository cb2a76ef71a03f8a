/**
 * The adapter against a misbehaving Bot API: failed menu registration, conflicts, 5xx and
 * dropped connections on getUpdates, refused replies. It must keep answering where it can
 * and report (not exit) where it cannot.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TelegramAdapter } from '../../../src/adapters/telegram/adapter.js';
import { startFakeTelegram, type FakeTelegram } from '../../fakes/telegram-api.js';
import { adapterFor, captureLogger, sentTo, testDispatcher, testRegistry, type LogLine } from './helpers.js';

let telegram: FakeTelegram;
const adapters: TelegramAdapter[] = [];

function track(adapter: TelegramAdapter): TelegramAdapter {
  adapters.push(adapter);
  return adapter;
}

function fatalPromise(): { onFatal: (error: Error) => void; fatal: Promise<Error> } {
  let onFatal!: (error: Error) => void;
  const fatal = new Promise<Error>((resolve) => (onFatal = resolve));
  return { onFatal, fatal };
}

async function answered(chatId: number, text: string, timeoutMs?: number): Promise<void> {
  telegram.pushMessage(chatId, text);
  await telegram.waitFor(() => sentTo(telegram, chatId).length > 0, timeoutMs);
}

afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.stop();
  await telegram?.close();
});

describe('Telegram adapter: when Telegram misbehaves', () => {
  it('keeps running when setMyCommands fails, and logs why', async () => {
    telegram = await startFakeTelegram();
    telegram.injectFault({ method: 'setMyCommands', status: 500 });
    const { log, lines } = captureLogger();
    await track(adapterFor(telegram, log)).start();
    expect(telegram.commands).toBeUndefined();
    expect(lines.some((line: LogLine) => line.msg.includes('setMyCommands failed'))).toBe(true);
    await answered(7, '/funding BTC');
  });

  it('reports a 409 Conflict on getUpdates through onFatal with a clear log line', async () => {
    telegram = await startFakeTelegram();
    const { log, lines } = captureLogger();
    const { onFatal, fatal } = fatalPromise();
    telegram.injectFault({ method: 'getUpdates', status: 409 });
    await track(adapterFor(telegram, log, { onFatal })).start();
    const error = await fatal;
    expect(error.message).toMatch(/409: Conflict.*another bot instance is polling/);
    expect(lines.find((line) => line.level === 60)?.msg).toBe(error.message);
  });

  it('reports a 409 when a second instance starts polling with the same token', async () => {
    telegram = await startFakeTelegram();
    const first = fatalPromise();
    await track(adapterFor(telegram, captureLogger().log, { onFatal: first.onFatal })).start();
    await telegram.waitFor(() => telegram.calls.some((call) => call.method === 'getUpdates' && call.status === 0));
    await track(adapterFor(telegram, captureLogger().log)).start();
    const error = await first.fatal;
    expect(error.message).toContain('409');
    // The second instance carries on.
    await answered(7, '/funding BTC');
  });

  it('reports a 409 when a webhook is set for the token behind its back', async () => {
    telegram = await startFakeTelegram();
    const { onFatal, fatal } = fatalPromise();
    await track(adapterFor(telegram, captureLogger().log, { onFatal })).start();
    await fetch(`${telegram.apiRoot}/bot${telegram.token}/setWebhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://elsewhere.example/hook' }),
    });
    telegram.pushMessage(7, '/funding BTC'); // ends the held poll so the next one sees the webhook
    expect((await fatal).message).toMatch(/webhook is active/);
  });

  it('survives a 5xx and a dropped connection on getUpdates (telegraf retries after 5 s)', async () => {
    telegram = await startFakeTelegram();
    const { onFatal, fatal } = fatalPromise();
    telegram.injectFault({ method: 'getUpdates', status: 502 });
    telegram.injectFault({ method: 'getUpdates', status: 'reset' });
    let failed = false;
    void fatal.then(() => (failed = true));
    await track(adapterFor(telegram, captureLogger().log, { onFatal })).start();
    await answered(7, '/funding BTC', 15_000);
    const polls = telegram.calls.filter((call) => call.method === 'getUpdates');
    expect(polls[0].status).toBe(502);
    expect(polls[1].status).toBe(0);
    expect(failed).toBe(false);
  }, 20_000);

  it('keeps answering after a reply fails, and resends refused HTML as plain text', async () => {
    telegram = await startFakeTelegram();
    const { log, lines } = captureLogger();
    await track(adapterFor(telegram, log)).start();
    telegram.injectFault({ method: 'sendMessage', status: 400, description: 'Bad Request: message to be replied not found', chatId: 7 });
    telegram.pushMessage(7, '/funding BTC');
    await telegram.waitFor(() => lines.some((line) => line.msg === 'telegram: reply not fully delivered'));
    telegram.injectFault({ method: 'sendMessage', status: 400, description: "Bad Request: can't parse entities: Unsupported start tag", chatId: 8 });
    await answered(8, '/funding ETH');
    const [plain] = sentTo(telegram, 8);
    expect(plain.parseMode).toBeUndefined();
    expect(plain.text).toBe('ETH funding\n\nbinance: +0.0100% / 8h');
    expect(sentTo(telegram, 7)).toHaveLength(0);
  });

  it('logs a handler that throws and goes on to the next update', async () => {
    telegram = await startFakeTelegram();
    const { log, lines } = captureLogger();
    const dispatcher = testDispatcher(testRegistry().commands, log);
    const handleText = dispatcher.handleText.bind(dispatcher);
    dispatcher.handleText = async (text, caller, botUsername) => {
      if (text.includes('boom')) throw new Error('boom in a handler');
      return handleText(text, caller, botUsername);
    };
    await track(adapterFor(telegram, log, { dispatcher })).start();
    telegram.pushMessage(7, '/basis boom');
    await answered(8, '/funding BTC');
    expect(lines.some((line) => line.msg === 'telegram: update handling failed' && JSON.stringify(line).includes('boom in a handler'))).toBe(true);
    expect(sentTo(telegram, 7)).toHaveLength(0);
  });

  it('fails start() with the reason when the token is refused, and stop() then returns', async () => {
    telegram = await startFakeTelegram();
    const adapter = track(adapterFor(telegram, captureLogger().log, { token: '999:wrong' }));
    await expect(adapter.start()).rejects.toThrow(/could not start: 401: Unauthorized/);
    await adapter.stop();
  });

  it('stops polling on stop(), even right after start()', async () => {
    telegram = await startFakeTelegram();
    const adapter = adapterFor(telegram, captureLogger().log);
    await adapter.start();
    const began = Date.now();
    await adapter.stop();
    expect(Date.now() - began).toBeLessThan(2_000);
    const polls = telegram.calls.filter((call) => call.method === 'getUpdates').length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(telegram.calls.filter((call) => call.method === 'getUpdates').length).toBe(polls);
  });
});
