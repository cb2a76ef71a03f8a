import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../src/delivery/outbox.js';
import { chatTarget } from '../../src/digests/index.js';
import { fakeSender } from '../delivery/fake-sender.js';
import { at, CONSOLE, group, useDigestHarness } from './harness.js';
import { memoryPush } from './memory-push.js';
import { replyText } from './reply-text.js';

describe('digests through the real outbox, and across restarts', () => {
  const h = useDigestHarness();

  it('delivers through the outbox with the chart; a chat the platform reports unreachable is paused', async () => {
    h.clock = at('2026-12-01T07:00:00Z');
    const stores = h.freshStores();
    // -5002 has removed the bot: the platform answers its digest with "unreachable".
    const sender = fakeSender({ decide: (record) => (record.chatId === '-5002' ? { status: 'unreachable', reason: 'bot was kicked from the group chat' } : { status: 'sent' }) });
    const outbox = new Outbox({ senders: { telegram: sender }, store: stores.open('outbox'), log: pino({ level: 'silent' }) });
    const parts = h.build(stores, { push: outbox.pushService() });
    outbox.registerOwner('digests', parts.digests.owner);
    await outbox.start();
    try {
      await h.started(parts);
      for (const chat of ['-5001', '-5002']) expect((await h.ask('/digest set 08:00 UTC BTC', group(chat, true))).ok).toBe(true);
      h.clock = at('2026-12-01T08:00:00Z');
      expect((await parts.digests.runDue(h.clock)).queued).toBe(2);
      await outbox.whenIdle();
      expect(sender.delivered.map((record) => record.chatId)).toEqual(['-5001']);
      expect(sender.delivered[0].image?.subarray(1, 4).toString()).toBe('PNG');
      await expect.poll(async () => (await parts.digests.show(chatTarget(group('-5002', true))))?.paused?.reason).toBe('bot was kicked from the group chat');
      expect(replyText((await h.ask('/digest show', group('-5002', false))).reply)).toMatch(/Paused/);
      h.clock = at('2026-12-02T08:00:00Z');
      expect((await parts.digests.runDue(h.clock)).queued).toBe(1);
    } finally {
      await outbox.stop({ drain: false, timeoutMs: 100 });
    }
  });

  it('after a restart a sent slot is not sent again, and the next digest compares with it', async () => {
    const stores = h.freshStores();
    h.clock = at('2026-12-01T07:00:00Z');
    const first = await h.started(h.build(stores, memoryPush()));
    await h.ask('/digest set 08:00 UTC BTC SOL', CONSOLE);
    h.clock = at('2026-12-01T08:00:00Z');
    await first.digests.runDue(h.clock);
    expect(replyText(first.delivery.queued[0].reply)).toMatch(/First digest for this chat/);
    await first.digests.stop();

    h.clock = at('2026-12-01T08:00:30Z');
    const second = await h.started(h.build(stores, memoryPush()));
    await second.digests.runDue(h.clock);
    expect(second.delivery.queued).toHaveLength(0);
    h.clock = at('2026-12-02T08:00:00Z');
    await second.digests.runDue(h.clock);
    expect(second.delivery.queued).toHaveLength(1);
    const text = replyText(second.delivery.queued[0].reply);
    expect(text).not.toMatch(/First digest/);
    expect(text).toMatch(/since the previous digest \(Tue, 1 Dec 2026, 08:00 UTC\)/);
    expect(text).toMatch(/\((?:[+-]?\d+\.\d\dpp|new)\)/);
  });

  it('a schedule turned off and set again starts afresh: nothing from before the set is sent', async () => {
    const stores = h.freshStores();
    h.clock = at('2026-12-01T07:00:00Z');
    const parts = await h.started(h.build(stores, memoryPush()));
    await h.ask('/digest set 08:00 UTC BTC', CONSOLE);
    await h.ask('/digest off', CONSOLE);
    h.clock = at('2026-12-01T08:30:00Z');
    await h.ask('/digest set 08:00 UTC BTC', CONSOLE);
    await parts.digests.runDue(h.clock);
    expect(parts.delivery.queued).toHaveLength(0);
  });
});
