/**
 * Command replies paced by the outbox against the fake Bot API enforcing Telegram's limits
 * (issue 11 item 3). Unpaced, 10 × /basis in one chat lost most replies to 429s; paced, every
 * reply arrives, in order, and Telegram never has to say 429.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TelegramAdapter } from '../../../src/adapters/telegram/adapter.js';
import { Outbox, type OutboxOptions } from '../../../src/delivery/outbox.js';
import type { QueuedMessage } from '../../../src/delivery/queued-message.js';
import { startFakeTelegram, type FakeTelegram } from '../../fakes/telegram-api.js';
import { memoryStore } from '../../delivery/fake-sender.js';
import { Dispatcher } from '../../../src/core/dispatch.js';
import type { Services } from '../../../src/core/services.js';
import { adapterFor, captureLogger, sentTo, testRegistry } from './helpers.js';

let telegram: FakeTelegram;
let adapter: TelegramAdapter;
let outbox: Outbox;

afterEach(async () => {
  await adapter?.stop();
  await outbox?.stop({ drain: false, timeoutMs: 0 });
  await telegram?.close();
});

async function pacedBot(): Promise<void> {
  telegram = await startFakeTelegram({ rateLimits: true });
  const { log } = captureLogger();
  // Filled after construction, as the composition root does: the adapter needs the outbox as its pacer.
  const senders: OutboxOptions['senders'] = {};
  outbox = new Outbox({ senders, store: memoryStore<QueuedMessage[]>(), log });
  // The dispatcher's flood limit (8 commands in 10 s per user) is not the subject here.
  const dispatcher = new Dispatcher(testRegistry().commands, { services: {} as Services, now: () => Date.now() }, log, { flood: false });
  adapter = adapterFor(telegram, log, { pacer: outbox, dispatcher });
  senders.telegram = adapter;
  await outbox.start();
  await adapter.start();
}

const rateLimited = () => telegram.calls.filter((call) => call.status === 429);

describe('Telegram replies paced by the outbox', () => {
  it('answers 10 × /basis in one chat: every reply, in order, without a single 429', async () => {
    await pacedBot();
    for (let i = 0; i < 10; i++) telegram.pushMessage(42, '/basis BTC');
    const replies = await telegram.waitFor(() => (sentTo(telegram, 42).length >= 10 ? sentTo(telegram, 42) : undefined), 25_000);
    expect(replies.map((message) => /\(run (\d+)\)/.exec(message.visibleText)?.[1])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(rateLimited()).toHaveLength(0);
  }, 30_000);

  it('keeps a multi-part reply together and shares the chat with a push', async () => {
    await pacedBot();
    telegram.pushMessage(43, '/report');
    await telegram.waitFor(() => sentTo(telegram, 43).length >= 1);
    outbox.enqueue({ platform: 'telegram', chatId: '43', kind: 'private' }, { blocks: [{ kind: 'text', text: 'pushed alert' }] });
    const messages = await telegram.waitFor(() => (sentTo(telegram, 43).length >= 3 ? sentTo(telegram, 43) : undefined), 10_000);
    expect(messages.map((message) => (message.visibleText.includes('report line') ? 'report' : message.visibleText))).toEqual(['report', 'report', 'pushed alert']);
    expect(rateLimited()).toHaveLength(0);
  }, 20_000);
});
