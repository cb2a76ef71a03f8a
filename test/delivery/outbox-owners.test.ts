/**
 * What the outbox tells a message's owner (alerts, digests) and the PushService they see:
 * delivered and rejected by id, unreachable to every owner, failures of owners contained.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SendOutcome, Target } from '../../src/core/adapter.js';
import { Outbox, type OutboxOptions } from '../../src/delivery/outbox.js';
import type { PushOwner } from '../../src/delivery/push.js';
import type { QueuedMessage } from '../../src/delivery/queued-message.js';
import { fakeSender, memoryStore, silentLog, textReply, type SendRecord } from './fake-sender.js';

const chat = (chatId: string): Target => ({ platform: 'telegram', chatId, kind: 'private' });

function decide(record: SendRecord): SendOutcome {
  if (record.text.startsWith('too long')) return { status: 'rejected', reason: '400: Bad Request: message is too long' };
  if (record.chatId === 'blocked') return { status: 'unreachable', reason: '403: bot was blocked by the user' };
  return { status: 'sent' };
}

function owner() {
  return {
    delivered: vi.fn<NonNullable<PushOwner['delivered']>>(),
    rejected: vi.fn<NonNullable<PushOwner['rejected']>>(),
    unreachable: vi.fn<NonNullable<PushOwner['unreachable']>>(),
  };
}

describe('Outbox owners and PushService (controlled clock)', () => {
  const outboxes: Outbox[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(async () => {
    vi.useRealTimers();
    for (const outbox of outboxes.splice(0)) await outbox.stop({ drain: false, timeoutMs: 0 });
  });

  function build(extra: Partial<OutboxOptions> = {}) {
    const sender = fakeSender({ latencyMs: 5, decide });
    const log = silentLog();
    const outbox = new Outbox({ senders: { telegram: sender }, store: memoryStore<QueuedMessage[]>(), log, ...extra });
    outboxes.push(outbox);
    return { outbox, sender, log };
  }

  it('reports delivered and rejected by id; a rejected message is dropped and its chat kept', async () => {
    const alerts = owner();
    const { outbox, sender } = build({ owners: { alerts } });
    await outbox.start();
    outbox.enqueue(chat('1'), textReply('too long, refused'), { owner: 'alerts', id: 'a1' });
    outbox.enqueue(chat('1'), textReply('fine'), { owner: 'alerts', id: 'a2' });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(alerts.rejected).toHaveBeenCalledWith('a1', chat('1'), '400: Bad Request: message is too long');
    expect(alerts.delivered).toHaveBeenCalledWith('a2', chat('1'));
    expect(alerts.delivered).toHaveBeenCalledTimes(1);
    expect(sender.calls.map((call) => call.text)).toEqual(['too long, refused', 'fine']);
    expect(outbox.isUnreachable(chat('1'))).toBe(false);
    expect(outbox.stats()).toMatchObject({ sent: 1, rejected: 1, retried: 0, queued: 0 });
  });

  it('does not send again an id it already delivered or refused in this run, and tells the owner again', async () => {
    // The race at start: the outbox sends a stored message before its owner has loaded and
    // re-offered its pending records; the late re-offer must not become a second message.
    const alerts = owner();
    const { outbox, sender } = build({ owners: { alerts } });
    await outbox.start();
    outbox.enqueue(chat('1'), textReply('crossing'), { owner: 'alerts', id: '7:1' });
    outbox.enqueue(chat('1'), textReply('too long, refused'), { owner: 'alerts', id: '7:2' });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(outbox.enqueue(chat('1'), textReply('crossing'), { owner: 'alerts', id: '7:1' })).toMatchObject({ status: 'queued', duplicate: true });
    expect(outbox.enqueue(chat('1'), textReply('too long, refused'), { owner: 'alerts', id: '7:2' })).toMatchObject({ duplicate: true });
    // A different id to the same chat still goes out.
    outbox.enqueue(chat('1'), textReply('next crossing'), { owner: 'alerts', id: '7:3' });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(sender.calls.map((call) => call.text)).toEqual(['crossing', 'too long, refused', 'next crossing']);
    expect(alerts.delivered.mock.calls.map(([id]) => id)).toEqual(['7:1', '7:1', '7:3']);
    expect(alerts.rejected.mock.calls.map(([id]) => id)).toEqual(['7:2', '7:2']);
  });

  it('tells every owner (and onUnreachable) when a target turns unreachable', async () => {
    const alerts = owner();
    const digests = owner();
    const onUnreachable = vi.fn();
    const { outbox } = build({ owners: { alerts }, onUnreachable });
    // Features are built after the outbox, since they need its PushService.
    outbox.registerOwner('digests', digests);
    await outbox.start();
    outbox.enqueue(chat('blocked'), textReply('digest'), { owner: 'digests', id: 'd1' });
    await vi.advanceTimersByTimeAsync(1_000);
    for (const notified of [alerts.unreachable, digests.unreachable, onUnreachable]) {
      expect(notified).toHaveBeenCalledExactlyOnceWith(chat('blocked'), '403: bot was blocked by the user');
    }
    expect(digests.delivered).not.toHaveBeenCalled();
  });

  it('logs a failing owner callback and keeps delivering', async () => {
    const alerts: PushOwner = {
      delivered: vi.fn().mockRejectedValueOnce(new Error('alert store down')),
      rejected: () => {
        throw new Error('sync throw');
      },
    };
    const { outbox, sender, log } = build({ owners: { alerts } });
    await outbox.start();
    outbox.enqueue(chat('1'), textReply('one'), { owner: 'alerts', id: '1' });
    outbox.enqueue(chat('1'), textReply('too long'), { owner: 'alerts', id: '2' });
    outbox.enqueue(chat('1'), textReply('three'), { owner: 'alerts', id: '3' });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sender.delivered.map((record) => record.text)).toEqual(['one', 'three']);
    expect(alerts.delivered).toHaveBeenCalledTimes(2);
    expect(log.warnings.filter((line) => line === 'outbox: owner callback failed')).toHaveLength(2);
  });

  it('reports a message given up after its attempts as rejected', async () => {
    const alerts = owner();
    const sender = fakeSender({ decide: () => ({ status: 'retry-later', retryAfterMs: 100, reason: '502' }) });
    const outbox = new Outbox({ senders: { telegram: sender }, store: memoryStore<QueuedMessage[]>(), log: silentLog(), owners: { alerts }, limits: { maxAttempts: 2 } });
    outboxes.push(outbox);
    await outbox.start();
    outbox.enqueue(chat('1'), textReply('flaky'), { owner: 'alerts', id: 'f' });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(alerts.rejected).toHaveBeenCalledExactlyOnceWith('f', chat('1'), 'gave up after 2 attempts: 502');
  });

  it('offers a PushService: enqueue, unreachable marks, and canReach from the platform sender', async () => {
    const canReach = vi.fn(async (target: Target) => target.chatId !== 'closed');
    const telegram = { ...fakeSender({ decide }), canReach };
    const discord = fakeSender();
    const outbox = new Outbox({ senders: { telegram, discord }, store: memoryStore<QueuedMessage[]>(), log: silentLog() });
    outboxes.push(outbox);
    await outbox.start();
    const push = outbox.pushService();
    expect(await push.canReach(chat('open'))).toBe(true);
    expect(await push.canReach(chat('closed'))).toBe(false);
    expect(await push.canReach({ platform: 'discord', chatId: 'x' })).toBeUndefined();
    expect(await push.canReach({ platform: 'console', chatId: 'x' })).toBeUndefined();

    expect(push.enqueue(chat('blocked'), textReply('hello'), { owner: 'alerts', id: 'h' })).toMatchObject({ status: 'queued' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(push.isUnreachable(chat('blocked'))).toBe(true);
    await push.markReachable(chat('blocked'));
    expect(push.isUnreachable(chat('blocked'))).toBe(false);
  });
});
