import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TelegramAdapter } from '../../src/adapters/telegram/adapter.js';
import type { Target } from '../../src/core/adapter.js';
import type { CommandContext } from '../../src/core/command.js';
import { Dispatcher } from '../../src/core/dispatch.js';
import { Outbox } from '../../src/delivery/outbox.js';
import type { QueuedMessage } from '../../src/delivery/queued-message.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { memoryStore, textReply } from './fake-sender.js';

const chat = (chatId: string): Target => ({ platform: 'telegram', chatId, kind: 'private' });

describe('Outbox through the real Telegram adapter and the fake Bot API (limits enforced)', () => {
  let fake: FakeTelegram | undefined;
  let outbox: Outbox | undefined;
  afterEach(async () => {
    await outbox?.stop({ drain: false, timeoutMs: 0 });
    await fake?.close();
  });

  async function setUp(onUnreachable = vi.fn()) {
    fake = await startFakeTelegram({ rateLimits: true });
    const log = pino({ level: 'silent' });
    const context = { services: undefined, now: Date.now } as unknown as CommandContext;
    const adapter = new TelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, dispatcher: new Dispatcher([], context, log), log });
    outbox = new Outbox({ senders: { telegram: adapter }, store: memoryStore<QueuedMessage[]>(), log, onUnreachable });
    await outbox.start();
    return { fake, outbox, onUnreachable };
  }

  it('broadcasts under the enforced limits without a single 429', async () => {
    const { fake, outbox } = await setUp();
    for (let i = 0; i < 45; i++) outbox.enqueue(chat(String(5_000 + i)), textReply(`digest ${i}`));
    outbox.enqueue(chat('5000'), textReply('second for the first chat'));
    await outbox.whenIdle();
    expect(fake.sent).toHaveLength(46);
    expect(fake.calls.filter((call) => call.status === 429)).toHaveLength(0);
  });

  it('sends a chart and its text to each chat without a 429 (the parts keep to 1/s per chat)', async () => {
    const { fake, outbox } = await setUp();
    // Too long for a photo caption (1,024): a photo, then a message, like a digest.
    const digest = (text: string) => ({ ...textReply(`${text}: ${'basis '.repeat(250)}`), image: { name: 'chart.png', png: Buffer.from('not really a png'), alt: 'chart' } });
    for (let i = 0; i < 3; i++) outbox.enqueue(chat(String(6_000 + i)), digest(`digest ${i}`));
    await outbox.whenIdle();
    expect(fake.sent.map((message) => message.method).sort()).toEqual(['sendMessage', 'sendMessage', 'sendMessage', 'sendPhoto', 'sendPhoto', 'sendPhoto']);
    for (let i = 0; i < 3; i++) expect(fake.sent.filter((message) => message.chatId === String(6_000 + i)).map((message) => message.method)).toEqual(['sendPhoto', 'sendMessage']);
    expect(fake.calls.filter((call) => call.status === 429)).toHaveLength(0);
  });

  it('retries a 429 after retry_after, in order, and stops at a blocked chat', async () => {
    const { fake, outbox, onUnreachable } = await setUp();
    fake.injectFault({ method: 'sendMessage', status: 429, retryAfter: 1, chatId: '7001' });
    fake.setChatState('7002', 'blocked');
    for (const text of ['first', 'second']) outbox.enqueue(chat('7001'), textReply(text));
    for (const text of ['a', 'b']) outbox.enqueue(chat('7002'), textReply(text));
    await outbox.whenIdle();
    await vi.waitFor(() => expect(onUnreachable).toHaveBeenCalledTimes(1));

    expect(fake.sent.filter((message) => message.chatId === '7001').map((message) => message.visibleText)).toEqual(['first', 'second']);
    const calls7001 = fake.calls.filter((call) => String(call.params.chat_id) === '7001');
    expect(calls7001.map((call) => call.status)).toEqual([429, 200, 200]);
    expect(calls7001[1]!.at - calls7001[0]!.at).toBeGreaterThanOrEqual(1_000);

    expect(fake.calls.filter((call) => String(call.params.chat_id) === '7002')).toHaveLength(1);
    expect(onUnreachable.mock.calls[0]![1]).toMatch(/blocked/);
    expect(outbox.enqueue(chat('7002'), textReply('c'))).toMatchObject({ status: 'refused', code: 'unreachable' });
  });
});
