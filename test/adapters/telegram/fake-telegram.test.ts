/**
 * The fake Bot API itself, driven by telegraf's own client: it must refuse what Telegram
 * refuses, or the adapter tests would prove nothing.
 */
import { Telegram, TelegramError } from 'telegraf';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTelegramHtml, startFakeTelegram, type FakeTelegram } from '../../fakes/telegram-api.js';

let telegram: FakeTelegram;
let client: Telegram;

async function setUp(options: Parameters<typeof startFakeTelegram>[0] = {}): Promise<void> {
  telegram = await startFakeTelegram(options);
  client = new Telegram(telegram.token, { apiRoot: telegram.apiRoot });
}

async function refusal(call: Promise<unknown>): Promise<{ code: number; description: string; retryAfter?: number }> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TelegramError)) throw new Error(`expected a TelegramError, got ${String(error)}`);
  return { code: error.code, description: error.description, retryAfter: error.parameters?.retry_after };
}

describe('parseTelegramHtml', () => {
  it('accepts Telegram tags and entities and returns the visible text', () => {
    expect(parseTelegramHtml('<b>a</b> &lt;&amp;&gt; <pre><code>x</code></pre> &#65;')).toEqual({ ok: true, text: 'a <&> x A' });
  });

  it.each([
    ['<b>open', /Can't find end tag corresponding to start tag "b"/],
    ['<b><i>x</b></i>', /Unmatched end tag/],
    ['<script>x</script>', /Unsupported start tag "script"/],
    ['a < b', /Unexpected end of name token/],
    ['fish & chips', /Character entity expected/],
    ['<pre><b>x</b></pre>', /Can't nest "b" inside "pre"/],
  ])('refuses %s', (html, error) => {
    const parsed = parseTelegramHtml(html);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });
});

describe('fake Telegram Bot API', () => {
  afterEach(() => telegram.close());

  it('refuses bad HTML, over-long text and captions, and oversized button data like Telegram', async () => {
    await setUp();
    expect(await refusal(client.sendMessage(1, '<b>x', { parse_mode: 'HTML' }))).toMatchObject({ code: 400, description: expect.stringContaining("can't parse entities") });
    expect(await refusal(client.sendMessage(1, 'x'.repeat(4_097)))).toEqual({ code: 400, description: 'Bad Request: message is too long' });
    // Telegram counts the text after parsing: markup does not count against the limit.
    await client.sendMessage(1, `<b>${'x'.repeat(4_096)}</b>`, { parse_mode: 'HTML' });
    const photo = { source: Buffer.from('png'), filename: 'a.png' };
    expect(await refusal(client.sendPhoto(1, photo, { caption: 'c'.repeat(1_025) }))).toMatchObject({ description: 'Bad Request: message caption is too long' });
    const keyboard = { inline_keyboard: [[{ text: 'x', callback_data: 'd'.repeat(65) }]] };
    expect(await refusal(client.sendMessage(1, 'x', { reply_markup: keyboard }))).toMatchObject({ description: 'Bad Request: BUTTON_DATA_INVALID' });
    expect(telegram.sent).toHaveLength(1);
  });

  it('records multipart photos byte for byte', async () => {
    await setUp();
    const bytes = Buffer.from([0, 1, 2, 255, 13, 10, 45, 45]);
    await client.sendPhoto(9, { source: bytes, filename: 'chart.png' }, { caption: '<i>c</i>', parse_mode: 'HTML' });
    expect(telegram.sent[0].photo).toEqual({ bytes, filename: 'chart.png' });
    expect(telegram.sent[0].visibleText).toBe('c');
  });

  it('holds getUpdates until an update is pushed, and confirms updates by offset', async () => {
    await setUp({ maxPollHoldMs: 5_000 });
    const began = Date.now();
    const poll = client.callApi('getUpdates', { offset: 0, timeout: 30 });
    setTimeout(() => telegram.pushMessage(4, '/basis BTC'), 150);
    const updates = await poll;
    expect(Date.now() - began).toBeGreaterThanOrEqual(140);
    expect(updates).toHaveLength(1);
    const next = await client.callApi('getUpdates', { offset: updates[0].update_id + 1, timeout: 0 });
    expect(next).toEqual([]);
  });

  it('injects faults per method, for the number of calls asked', async () => {
    await setUp();
    telegram.injectFault({ method: 'sendMessage', status: 429, retryAfter: 3, times: 2 });
    expect(await refusal(client.sendMessage(1, 'a'))).toMatchObject({ code: 429, retryAfter: 3 });
    expect(await refusal(client.sendMessage(1, 'a'))).toMatchObject({ code: 429 });
    await client.sendMessage(1, 'a');
    expect(telegram.sent).toHaveLength(1);
  });

  it('enforces per-chat, per-group and overall send rates when asked', async () => {
    await setUp({ rateLimits: true });
    await client.sendMessage(1, 'a');
    expect(await refusal(client.sendMessage(1, 'b'))).toMatchObject({ code: 429, retryAfter: 1 });
    for (let chat = 2; chat <= 30; chat += 1) await client.sendMessage(chat, 'a');
    expect(await refusal(client.sendMessage(31, 'a'))).toMatchObject({ code: 429, retryAfter: 1 });
    await telegram.close();

    await setUp({ rateLimits: { perChatPerSecond: 100, globalPerSecond: 100 } });
    for (let i = 0; i < 20; i += 1) await client.sendMessage(-100900, `m${i}`);
    const group = await refusal(client.sendMessage(-100900, 'one too many'));
    expect(group.code).toBe(429);
    expect(group.retryAfter).toBeGreaterThan(50);
  });

  it('answers edits of unchanged messages with "message is not modified"', async () => {
    await setUp();
    const message = await client.sendMessage(1, 'same');
    expect(await refusal(client.editMessageText(1, message.message_id, undefined, 'same'))).toMatchObject({
      description: expect.stringContaining('message is not modified'),
    });
    await client.editMessageText(1, message.message_id, undefined, 'changed');
    expect(telegram.sent[0].edits.map((edit) => edit.text)).toEqual(['changed']);
  });
});
