/**
 * End to end with real telegraf long-polling the fake Bot API: users type commands, press
 * buttons, and the replies that reach the fake are checked for content, escaping and splitting.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelegramAdapter } from '../../../src/adapters/telegram/adapter.js';
import { startFakeTelegram, type FakeMessage, type FakeTelegram } from '../../fakes/telegram-api.js';
import { TEST_PNG, adapterFor, captureLogger, sentTo, testRegistry } from './helpers.js';

let telegram: FakeTelegram;
let adapter: TelegramAdapter;

async function startBot(fake: Parameters<typeof startFakeTelegram>[0] = {}): Promise<void> {
  telegram = await startFakeTelegram(fake);
  adapter = adapterFor(telegram, captureLogger().log);
  await adapter.start();
}

/** Waits until the chat has `count` messages from the bot and returns them. */
function messagesIn(chatId: number, count: number, timeoutMs?: number): Promise<FakeMessage[]> {
  return telegram.waitFor(() => (sentTo(telegram, chatId).length >= count ? sentTo(telegram, chatId) : undefined), timeoutMs);
}

afterEach(async () => {
  await adapter?.stop();
  await telegram?.close();
});

describe('Telegram adapter: commands over long polling', () => {
  beforeEach(() => startBot());

  it('answers /basis with an HTML table and a Refresh button', async () => {
    telegram.pushMessage(42, '/basis BTC');
    const [message] = await messagesIn(42, 1);
    expect(message.method).toBe('sendMessage');
    expect(message.parseMode).toBe('HTML');
    expect(message.text).toMatch(/^<b>📈 BTC basis<\/b>\n\n<pre>venue/);
    expect(message.visibleText).toContain('binance  BTC-260327');
    expect(message.visibleText).toContain('⚠️ okx quote is 40 s old');
    expect(message.replyMarkup?.inline_keyboard[0][0]).toEqual({ text: '🔄 Refresh', callback_data: 'r:/basis BTC' });
    expect(message.replyTo).toBeUndefined();
  });

  it('sends /curve as a photo with the PNG bytes and a caption', async () => {
    telegram.pushMessage(42, '/curve SOL');
    const [photo] = await messagesIn(42, 1);
    expect(photo.method).toBe('sendPhoto');
    expect(photo.photo?.bytes.equals(TEST_PNG)).toBe(true);
    expect(photo.photo?.filename).toBe('curve-SOL.png');
    expect(photo.visibleText).toBe('SOL curve\n\nCurve for SOL (run 1).');
    expect(photo.replyMarkup?.inline_keyboard[0][0].callback_data).toBe('r:/curve SOL');
  });

  it('answers /funding with bold fields', async () => {
    telegram.pushMessage(42, '/funding ETH');
    const [message] = await messagesIn(42, 1);
    expect(message.text).toBe('<b>ETH funding</b>\n\n<b>binance:</b> +0.0100% / 8h');
    expect(message.replyMarkup).toBeUndefined(); // the reply asked for no Refresh
  });

  it('answers a wrong call with the usage line and no Refresh button', async () => {
    telegram.pushMessage(42, '/basis');
    telegram.pushMessage(42, '/nosuch thing');
    const [usage, unknown] = await messagesIn(42, 2);
    expect(usage.visibleText).toContain('Usage: /basis <asset> [venue]');
    expect(usage.text).toContain('Usage: /basis &lt;asset&gt; [venue]');
    expect(usage.replyMarkup).toBeUndefined();
    expect(unknown.visibleText).toContain('Unknown command /nosuch');
  });

  it('answers /cmd@ourbot in a group as a reply, and ignores other bots and their commands', async () => {
    telegram.pushMessage(-100500, '/basis@otherbot BTC', { chatType: 'supergroup' });
    telegram.pushMessage(-100500, '/otherbotcommand', { chatType: 'supergroup' });
    const addressed = telegram.pushMessage(-100500, `/basis@${telegram.botUsername} ETH`, { chatType: 'supergroup' });
    const messages = await messagesIn(-100500, 1);
    // Updates are handled in order, so by now the two ignored ones would have been answered.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sentTo(telegram, -100500)).toHaveLength(1);
    expect(messages[0].visibleText).toContain('ETH basis');
    expect(messages[0].replyTo).toBe((addressed.message as { message_id: number }).message_id);
  });

  it('treats /start as /help', async () => {
    telegram.pushMessage(42, '/start');
    const [message] = await messagesIn(42, 1);
    expect(message.visibleText).toContain('Help');
  });

  it('escapes hostile arguments so Telegram accepts the reply', async () => {
    telegram.pushMessage(42, '/basis <b>&');
    const [message] = await messagesIn(42, 1);
    expect(message.visibleText).toContain('<b>& basis');
    expect(message.visibleText).toContain('Asked for <b>& (run 1).');
    expect(message.text).toContain('&lt;b&gt;&amp; basis');
    expect(telegram.calls.filter((call) => call.method === 'sendMessage').every((call) => call.status === 200)).toBe(true);
  });

  it('refreshes a text reply in place and answers the button press', async () => {
    telegram.pushMessage(42, '/basis BTC');
    const [first] = await messagesIn(42, 1);
    expect(first.visibleText).toContain('(run 1)');
    telegram.pushCallback(42, first.messageId, first.replyMarkup!.inline_keyboard[0][0].callback_data!);
    await telegram.waitFor(() => first.edits.length === 1 && telegram.callbackAnswers.length === 1);
    expect(first.visibleText).toContain('(run 2)');
    expect(first.replyMarkup?.inline_keyboard[0][0].callback_data).toBe('r:/basis BTC');
    expect(telegram.callbackAnswers[0].text).toBe('Updated');
    expect(sentTo(telegram, 42)).toHaveLength(1);
  });

  it('refreshes a two-message reply in place, both messages', async () => {
    telegram.pushMessage(42, '/report');
    const [first, second] = await messagesIn(42, 2);
    expect(first.replyMarkup).toBeUndefined();
    expect(second.visibleText).toContain('(run 1)');
    telegram.pushCallback(42, second.messageId, second.replyMarkup!.inline_keyboard[0][0].callback_data!);
    await telegram.waitFor(() => telegram.callbackAnswers.length === 1);
    expect([first.edits.length, second.edits.length]).toEqual([1, 1]);
    expect(first.visibleText).toContain('(run 2)');
    expect(first.replyMarkup).toBeUndefined();
    expect(second.replyMarkup?.inline_keyboard[0][0].callback_data).toBe('r:/report');
    expect(sentTo(telegram, 42)).toHaveLength(2);
  });

  it('refreshes a chart by sending a new photo', async () => {
    telegram.pushMessage(42, '/curve BTC');
    const [first] = await messagesIn(42, 1);
    telegram.pushCallback(42, first.messageId, 'r:/curve BTC');
    const [, second] = await messagesIn(42, 2);
    expect(second.method).toBe('sendPhoto');
    expect(second.visibleText).toContain('(run 2)');
    expect(first.edits).toHaveLength(0);
    await telegram.waitFor(() => telegram.callbackAnswers.length === 1);
  });

  it('answers a press on a button it did not make without running anything', async () => {
    telegram.pushMessage(42, '/funding BTC');
    const [message] = await messagesIn(42, 1);
    telegram.pushCallback(42, message.messageId, 'x:whatever');
    await telegram.waitFor(() => telegram.callbackAnswers.length === 1);
    expect(telegram.callbackAnswers[0].text).toBe('This button no longer works.');
    expect(sentTo(telegram, 42)).toHaveLength(1);
  });

  it('publishes the registry as the command menu', () => {
    expect(telegram.commands).toEqual(testRegistry().commands.map((command) => ({ command: command.name, description: command.description })));
  });
});

describe('Telegram adapter: long replies', () => {
  it('splits a long reply into messages Telegram accepts, even under rate limits', async () => {
    await startBot({ rateLimits: true });
    // Under the parser's 1,000-character line cap, yet over 9,000 characters once escaped (& is &amp;) and echoed twice.
    const hostile = `<b>${'&'.repeat(980)}`;
    telegram.pushMessage(42, `/basis ${hostile}`);
    const messages = await telegram.waitFor(() => {
      const sent = sentTo(telegram, 42);
      return sent.at(-1)?.visibleText.includes('okx quote is 40 s old') && sent;
    }, 10_000);
    expect(messages.length).toBeGreaterThanOrEqual(3);
    for (const message of messages) expect(message.text!.length).toBeLessThan(4_096);
    const shown = messages.map((message) => message.visibleText).join('');
    expect(shown.replace(/\n/g, '')).toContain(`Asked for ${hostile} (run 1).`);
    // The per-chat limit answered 429 at least once and the adapter waited it out.
    expect(telegram.calls.some((call) => call.method === 'sendMessage' && call.status === 429)).toBe(true);
    expect(messages.at(-1)!.replyMarkup).toBeUndefined(); // the command line is too long to carry
  });
});
