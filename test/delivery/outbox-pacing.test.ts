/**
 * Interactive replies paced through the outbox (issue 11 item 3): the same sliding windows as
 * pushes, FIFO per chat, a reply's parts together, and a 429 on a reply pausing pushes too.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Target } from '../../src/core/adapter.js';
import { Outbox } from '../../src/delivery/outbox.js';
import type { PaceTurn } from '../../src/delivery/pacer.js';
import type { QueuedMessage } from '../../src/delivery/queued-message.js';
import { busiestWindow, fakeSender, memoryStore, silentLog, textReply } from './fake-sender.js';

const chat = (chatId: string): Target => ({ platform: 'telegram', chatId, kind: 'private' });

describe('Outbox.pace (controlled clock)', () => {
  let outbox: Outbox;
  let sender: ReturnType<typeof fakeSender>;
  /** Every send to the fake platform, replies and pushes alike: [label, started at]. */
  let sends: [string, number][];

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    sends = [];
    const pushes = fakeSender({ latencyMs: 10 });
    sender = { ...pushes, send: (target, reply) => (sends.push([`push ${target.chatId}`, Date.now()]), pushes.send(target, reply)) };
    outbox = new Outbox({ senders: { telegram: sender }, store: memoryStore<QueuedMessage[]>(), log: silentLog() });
    await outbox.start();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await outbox.stop({ drain: false, timeoutMs: 0 });
  });

  /** Sends `parts` parts of a reply the way the Telegram adapter does: next, request, done. */
  async function reply(turn: PaceTurn, label: string, parts: number, latencyMs = 10): Promise<void> {
    try {
      for (let part = 1; part <= parts; part++) {
        await turn.next();
        sends.push([`${label}.${part}`, Date.now()]);
        await new Promise((resolve) => setTimeout(resolve, latencyMs));
        turn.done();
      }
    } finally {
      turn.end();
    }
  }

  it('shares the per-chat limit with pushes, keeps replies in order and their parts together', async () => {
    outbox.enqueue(chat('42'), textReply('p1'));
    await vi.advanceTimersByTimeAsync(1);
    const a = reply(outbox.pace(chat('42')), 'A', 2);
    const b = reply(outbox.pace(chat('42')), 'B', 1);
    outbox.enqueue(chat('42'), textReply('p2'));
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all([a, b]);
    // A user waiting on a command goes ahead of a queued push, and one reply's parts stay together.
    expect(sends.map(([label]) => label)).toEqual(['push 42', 'A.1', 'A.2', 'B.1', 'push 42']);
    const starts = sends.map(([, at]) => at);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(1_000);
  });

  it('keeps replies and pushes together under the platform-wide 30/s', async () => {
    for (let i = 0; i < 30; i++) outbox.enqueue(chat(`push${i}`), textReply(`p${i}`));
    const replies = Array.from({ length: 30 }, (_, i) => reply(outbox.pace(chat(`user${i}`)), `r${i}`, 1));
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(replies);
    expect(sends).toHaveLength(60);
    expect(busiestWindow(sends.map(([, at]) => at), 1_000)).toBeLessThanOrEqual(30);
  });

  it('pauses the chat for pushes when a reply drew a 429', async () => {
    const turn = outbox.pace(chat('7'));
    await turn.next();
    const pausedAt = Date.now();
    turn.done(5_000);
    turn.end();
    outbox.enqueue(chat('7'), textReply('after the pause'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sender.calls).toHaveLength(1);
    expect(sender.calls[0]!.startedAt - pausedAt).toBeGreaterThanOrEqual(5_000);
  });

  it('does not hold replies when the outbox is not running', async () => {
    await outbox.stop({ drain: false, timeoutMs: 0 });
    const turn = outbox.pace(chat('1'));
    let passed = 0;
    for (let i = 0; i < 3; i++) {
      await turn.next();
      passed += 1;
      turn.done();
    }
    turn.end();
    expect(passed).toBe(3);
  });

  it('lets a waiting reply go when the outbox stops', async () => {
    const first = outbox.pace(chat('9'));
    await first.next();
    const second = outbox.pace(chat('9'));
    let released = false;
    void second.next().then(() => (released = true));
    await vi.advanceTimersByTimeAsync(10);
    expect(released).toBe(false);
    vi.useRealTimers();
    await outbox.stop({ drain: false, timeoutMs: 0 });
    await Promise.resolve();
    expect(released).toBe(true);
    first.end();
    second.end();
  });
});
