/**
 * `send()` for pushed messages (alerts, digests): every Telegram failure becomes an outcome
 * the outbox can act on, and a multi-message reply interrupted half-way resumes, not repeats.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelegramAdapter } from '../../../src/adapters/telegram/adapter.js';
import type { Target } from '../../../src/core/adapter.js';
import type { Reply } from '../../../src/core/reply.js';
import { startFakeTelegram, type FakeTelegram } from '../../fakes/telegram-api.js';
import { TEST_PNG, adapterFor, captureLogger, sentTo } from './helpers.js';

let telegram: FakeTelegram;
let adapter: TelegramAdapter;

const alert: Reply = {
  title: 'BTC basis above 10%',
  blocks: [{ kind: 'text', text: 'binance BTC-260327 trades at <+10.4%> & rising' }],
  actions: [{ id: 'basis BTC', label: 'Details' }],
};

function target(chatId: string | number, kind: Target['kind'] = 'private'): Target {
  return { platform: 'telegram', chatId: String(chatId), kind };
}

async function setUp(options: Parameters<typeof startFakeTelegram>[0] = {}): Promise<void> {
  telegram = await startFakeTelegram(options);
  // send() needs no start(): an outbox-only process can push without receiving updates.
  adapter = adapterFor(telegram, captureLogger().log);
}

afterEach(async () => {
  await adapter.stop();
  await telegram.close();
});

describe('TelegramAdapter.send', () => {
  beforeEach(() => setUp());

  it('tells the outbox how many sends a reply takes, and takes that many', async () => {
    const long: Reply = { blocks: [{ kind: 'text', text: 'word '.repeat(1_800).trim() }] };
    const withChart: Reply = { ...alert, image: { name: 'c.png', png: TEST_PNG, alt: 'chart' } };
    expect(adapter.partsOf(alert)).toBe(1);
    expect(adapter.partsOf(long)).toBe(3);
    expect(await adapter.send(target(9), long)).toEqual({ status: 'sent' });
    expect(sentTo(telegram, 9)).toHaveLength(3);
    // A short reply with a chart fits in the photo's caption: one send.
    expect(adapter.partsOf(withChart)).toBe(1);
    expect(await adapter.send(target(10), withChart)).toEqual({ status: 'sent' });
    expect(sentTo(telegram, 10).map((message) => message.method)).toEqual(['sendPhoto']);
  });

  it('sends an escaped HTML message with the reply actions as buttons', async () => {
    expect(await adapter.send(target(5), alert)).toEqual({ status: 'sent' });
    const [message] = sentTo(telegram, 5);
    expect(message.visibleText).toBe('BTC basis above 10%\n\nbinance BTC-260327 trades at <+10.4%> & rising');
    expect(message.replyMarkup).toEqual({ inline_keyboard: [[{ text: 'Details', callback_data: 'a:basis BTC' }]] });
  });

  it('sends a chart as a photo', async () => {
    const outcome = await adapter.send(target(-100200, 'group'), { ...alert, image: { name: 'c.png', png: TEST_PNG, alt: 'curve' } });
    expect(outcome).toEqual({ status: 'sent' });
    const [photo] = sentTo(telegram, -100200);
    expect(photo.method).toBe('sendPhoto');
    expect(photo.photo?.bytes.equals(TEST_PNG)).toBe(true);
  });

  it('maps 429 to retry-later after retry_after seconds', async () => {
    telegram.injectFault({ method: 'sendMessage', status: 429, retryAfter: 7 });
    expect(await adapter.send(target(5), alert)).toMatchObject({ status: 'retry-later', retryAfterMs: 7_000 });
  });

  it('maps blocked, kicked, deactivated and missing chats to unreachable', async () => {
    const states = ['blocked', 'kicked', 'deactivated', 'not-found'] as const;
    for (const [index, state] of states.entries()) telegram.setChatState(index + 10, state);
    const outcomes = await Promise.all(states.map((_, index) => adapter.send(target(index + 10), alert)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['unreachable', 'unreachable', 'unreachable', 'unreachable']);
    expect(outcomes.map((outcome) => (outcome as { reason: string }).reason)).toEqual([
      '403: Forbidden: bot was blocked by the user',
      '403: Forbidden: bot was kicked from the group chat',
      '403: Forbidden: user is deactivated',
      '400: Bad Request: chat not found',
    ]);
  });

  it('maps 5xx and dropped connections to a short retry-later', async () => {
    telegram.injectFault({ method: 'sendMessage', status: 502 });
    telegram.injectFault({ method: 'sendMessage', status: 'reset' });
    const outcomes = [await adapter.send(target(5), alert), await adapter.send(target(5), alert)];
    for (const outcome of outcomes) expect(outcome).toMatchObject({ status: 'retry-later', retryAfterMs: 2_000 });
    expect(sentTo(telegram, 5)).toHaveLength(0);
  });

  it('never throws, even when Telegram cannot be reached at all', async () => {
    await telegram.close();
    const outcome = await adapter.send(target(5), alert);
    expect(outcome).toMatchObject({ status: 'retry-later', reason: expect.stringMatching(/ECONNREFUSED|FetchError/) });
  });

  it('refuses targets of another platform', async () => {
    expect(await adapter.send({ platform: 'discord', chatId: '1' }, alert)).toMatchObject({ status: 'unreachable' });
  });
});

describe('TelegramAdapter.send: multi-message replies under rate limits', () => {
  beforeEach(() => setUp({ rateLimits: true }));

  it('resumes after the parts already delivered instead of sending them twice', async () => {
    const long: Reply = { blocks: [{ kind: 'text', text: Array.from({ length: 150 }, (_, i) => `line ${i} ${'q'.repeat(40)}`).join('\n') }] };
    const first = await adapter.send(target(5), long);
    expect(first).toMatchObject({ status: 'retry-later', retryAfterMs: 1_000 });
    expect(sentTo(telegram, 5)).toHaveLength(1);
    let outcome = first;
    while (outcome.status === 'retry-later') {
      await new Promise((resolve) => setTimeout(resolve, outcome.status === 'retry-later' ? outcome.retryAfterMs : 0));
      outcome = await adapter.send(target(5), { ...long }); // a rebuilt but identical reply
    }
    expect(outcome).toEqual({ status: 'sent' });
    const lines = sentTo(telegram, 5).flatMap((message) => message.visibleText.split('\n'));
    expect(lines).toHaveLength(150);
    expect(new Set(lines).size).toBe(150);
  });
});
