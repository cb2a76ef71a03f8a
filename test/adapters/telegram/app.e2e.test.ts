/**
 * The real app (real commands, ccxt, the market replay) behind the Telegram adapter, driven
 * through real telegraf by the fake Bot API: what a Telegram user would see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { TelegramAdapter } from '../../../src/adapters/telegram/adapter.js';
import { telegramCommandList } from '../../../src/adapters/telegram/register.js';
import { startReplayApp, type ReplayApp } from '../../helpers/replay-app.js';
import { startFakeTelegram, type FakeMessage, type FakeTelegram } from '../../fakes/telegram-api.js';
import { captureLogger, sentTo, type LogLine } from './helpers.js';

let replay: ReplayApp;
let telegram: FakeTelegram;
let adapter: TelegramAdapter;
let lines: LogLine[];
let nextChat = 100;

beforeAll(async () => {
  replay = await startReplayApp();
  telegram = await startFakeTelegram();
  const captured = captureLogger();
  lines = captured.lines;
  adapter = new TelegramAdapter({ token: telegram.token, apiRoot: telegram.apiRoot, dispatcher: replay.app.dispatcher, log: captured.log });
  await adapter.start();
});

afterAll(async () => {
  await adapter?.stop();
  await telegram?.close();
  await replay?.close();
});

/** Sends `text` from a fresh chat and resolves with the bot's messages once `done` holds. */
async function ask(text: string, done: (messages: FakeMessage[]) => boolean = (m) => m.length > 0, chatType?: 'supergroup'): Promise<FakeMessage[]> {
  const chatId = chatType ? -(nextChat++) : nextChat++;
  telegram.pushMessage(chatId, text, { chatType });
  return telegram.waitFor(() => (done(sentTo(telegram, chatId)) ? sentTo(telegram, chatId) : undefined), 20_000);
}

/** Waits for a whole reply: the last part carries the Refresh button. */
const withButtons = (messages: FakeMessage[]): boolean => messages.at(-1)?.replyMarkup !== undefined;

function allAccepted(): boolean {
  return telegram.calls.filter((call) => /^(send|edit)/.test(call.method)).every((call) => call.status === 200);
}

describe('the real commands on Telegram', () => {
  it('publishes every command of the registry as the menu', () => {
    expect(telegram.commands).toEqual(telegramCommandList(COMMANDS).commands);
    expect(telegram.commands?.map((entry) => entry.command)).toEqual(COMMANDS.map((command) => command.name));
  });

  it('/basis BTC: a bold title, the curves in <pre>, and a Refresh button on the last part', async () => {
    const messages = await ask('/basis BTC', withButtons);
    expect(messages[0].text).toMatch(/^<b>(📈 |📉 )?BTC basis/);
    expect(messages[0].text).toContain('<pre>');
    for (const message of messages) expect(message.text!.length).toBeLessThan(4_096);
    expect(messages.at(-1)!.replyMarkup?.inline_keyboard[0][0]).toEqual({ text: 'Refresh', callback_data: 'r:/basis BTC' });
    expect(allAccepted()).toBe(true);
  });

  it('/curve SOL: a PNG chart with a caption within 1,024 characters', async () => {
    const [photo] = await ask('/curve SOL');
    expect(photo.method).toBe('sendPhoto');
    expect(photo.photo!.bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(photo.visibleText.length).toBeLessThanOrEqual(1_024);
    expect(photo.visibleText).toMatch(/^(📈 |📉 )?SOL term structure/);
  });

  it('/funding ETH: the funding table', async () => {
    const [message] = await ask('/funding ETH');
    expect(message.visibleText).toMatch(/ETH perpetual funding/);
    expect(message.text).toContain('<pre>');
  });

  it('wrong calls get the usage line or a plain error, without a Refresh button', async () => {
    const [usage] = await ask('/basis');
    expect(usage.visibleText).toContain('Usage: /basis <asset> [venue]');
    const [unknown] = await ask('/basis NOTACOIN');
    expect(unknown.visibleText).toMatch(/NOTACOIN/);
    expect(unknown.replyMarkup).toBeUndefined();
  });

  it('ignores /funding@otherbot in a group but answers /funding@ourbot as a reply', async () => {
    const chatId = -(nextChat++);
    telegram.pushMessage(chatId, '/funding@otherbot BTC', { chatType: 'supergroup' });
    const addressed = telegram.pushMessage(chatId, `/funding@${telegram.botUsername} BTC`, { chatType: 'supergroup' });
    const messages = await telegram.waitFor(() => sentTo(telegram, chatId).length > 0 && sentTo(telegram, chatId));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sentTo(telegram, chatId)).toHaveLength(1);
    expect(messages[0].replyTo).toBe((addressed.message as { message_id: number }).message_id);
  });

  it('hostile text, even a 5,000-character message, is answered escaped and accepted', async () => {
    const [hostile] = await ask('/basis <b>&');
    expect(hostile.visibleText).toMatch(/<b>&/i);
    const [long] = await ask(`/basis ${'<i>&'.repeat(240)}`);
    expect(long.visibleText).toMatch(/^"(<i>&)+…" is not an asset ticker/);
    const [explained] = await ask(`/explain ${'<i>&'.repeat(240)}`);
    expect(explained.visibleText).toMatch(/^No glossary entry for "(<i>&)+/);
    // Over the parser's line cap: refused with the usage line, still escaped and accepted.
    const [tooLong] = await ask(`/basis ${'<i>&'.repeat(1_250)}`);
    expect(tooLong.visibleText).toMatch(/^Usage: \/basis <asset>/);
    const [menu] = await ask('/help');
    expect(menu.visibleText).toContain('/basis');
    expect(allAccepted()).toBe(true);
  });

  it('Refresh re-runs the command and edits every part of the reply in place', async () => {
    const messages = await ask('/basis ETH', withButtons);
    const last = messages.at(-1)!;
    telegram.pushCallback(last.chatId, last.messageId, last.replyMarkup!.inline_keyboard[0][0].callback_data!);
    await telegram.waitFor(() => telegram.callbackAnswers.length > 0);
    expect(telegram.callbackAnswers.at(-1)!.text).toBe('Updated');
    expect(sentTo(telegram, last.chatId)).toHaveLength(messages.length);
    // Each part was edited, or answered "message is not modified" when its prices had not moved.
    const edits = telegram.calls.filter((call) => call.method === 'editMessageText' && String(call.params.chat_id) === last.chatId);
    expect(edits.map((call) => call.params.message_id)).toEqual(messages.map((message) => message.messageId));
    expect(lines.some((line) => line.level >= 50)).toBe(false);
  });
});
