/**
 * The store as the source of truth (issue 11 item 4): a process killed at any moment loses
 * nothing, and a restart re-sends nothing the platform accepted. A "kill" here drops the
 * Outbox object without stop(): its sender and its store die with it (nothing more is sent,
 * no write lands), and a new Outbox starts on what the store held.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Target } from '../../src/core/adapter.js';
import { Outbox, type OutboxOptions } from '../../src/delivery/outbox.js';
import type { QueuedMessage } from '../../src/delivery/queued-message.js';
import { killableSender, killableStore, memoryStore, silentLog, textReply, type SendRecord } from './fake-sender.js';

const chat = (chatId: string): Target => ({ platform: 'telegram', chatId, kind: 'private' });
const texts = (records: SendRecord[]) => records.map((record) => record.text);

describe('Outbox durability (controlled clock)', () => {
  const live: Outbox[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(async () => {
    // Real timers first: a send still in flight on the fake clock would hold stop()'s timeout forever.
    vi.useRealTimers();
    for (const outbox of live.splice(0)) await outbox.stop({ drain: false, timeoutMs: 0 });
  });

  /** One process: an outbox on the shared store, with a sender and store view that die on kill(). */
  function run(shared: ReturnType<typeof memoryStore<QueuedMessage[]>>, extra: Partial<OutboxOptions> = {}) {
    const sender = killableSender({ latencyMs: 20 });
    const store = killableStore(shared);
    const outbox = new Outbox({ senders: { telegram: sender }, store, log: silentLog(), ...extra });
    const kill = () => {
      sender.kill();
      store.kill();
    };
    return { outbox, sender, kill, keep: () => live.push(outbox) };
  }

  it('delivers every message exactly once, in order per chat, across a kill and a restart', async () => {
    const shared = memoryStore<QueuedMessage[]>();
    const first = run(shared);
    await first.outbox.start();
    const chats = ['A', 'B', 'C'];
    for (let i = 1; i <= 8; i++) for (const id of chats) first.outbox.enqueue(chat(id), textReply(`${id}${i}`));
    // One a second per chat: by 3.5 s four per chat went out, and nothing is on the wire.
    await vi.advanceTimersByTimeAsync(3_500);
    expect(first.sender.delivered).toHaveLength(12);
    first.kill();

    const second = run(shared);
    second.keep();
    await second.outbox.start();
    await vi.advanceTimersByTimeAsync(10_000);
    const all = [...first.sender.delivered, ...second.sender.delivered];
    // Before write-through, 24 queued messages became 36 deliveries after an interrupted stop.
    expect(all).toHaveLength(24);
    for (const id of chats) {
      expect(texts(all.filter((record) => record.chatId === id))).toEqual(Array.from({ length: 8 }, (_, i) => `${id}${i + 1}`));
    }
    await second.outbox.flush();
    expect(shared.map.size).toBe(0);
  });

  it('does not re-send a message accepted before the crash', async () => {
    const shared = memoryStore<QueuedMessage[]>();
    const first = run(shared);
    await first.outbox.start();
    first.outbox.enqueue(chat('A'), textReply('accepted'));
    first.outbox.enqueue(chat('A'), textReply('pending'));
    await vi.advanceTimersByTimeAsync(100);
    expect(texts(first.sender.delivered)).toEqual(['accepted']);
    await first.outbox.flush();
    first.kill();

    const second = run(shared);
    second.keep();
    await second.outbox.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(texts(second.sender.calls)).toEqual(['pending']);
  });

  it('re-sends (at least once) a message accepted in the moment before its removal was written', async () => {
    const shared = memoryStore<QueuedMessage[]>();
    const first = run(shared);
    await first.outbox.start();
    first.outbox.enqueue(chat('A'), textReply('on the wire'));
    await first.outbox.flush();
    // The process dies while the platform is accepting: the store never hears of it.
    await vi.advanceTimersByTimeAsync(5);
    first.kill();
    const sender = first.sender;
    await vi.advanceTimersByTimeAsync(100);
    expect(sender.calls).toHaveLength(1);

    const second = run(shared);
    second.keep();
    await second.outbox.start();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(texts(second.sender.delivered)).toEqual(['on the wire']);
  });

  it('persists an enqueue before start without erasing what the store held', async () => {
    const shared = memoryStore<QueuedMessage[]>();
    const first = run(shared);
    first.outbox.enqueue(chat('A'), textReply('old'));
    await first.outbox.flush();
    first.kill();

    const second = run(shared);
    second.keep();
    second.outbox.enqueue(chat('A'), textReply('new'));
    await second.outbox.flush();
    expect(shared.map.get('telegram:A')!.map((message) => message.reply.blocks[0])).toEqual([
      { kind: 'text', text: 'old' },
      { kind: 'text', text: 'new' },
    ]);
    await second.outbox.start();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(texts(second.sender.delivered)).toEqual(['old', 'new']);
  });

  it('skipDrain ends a drain at once and leaves the rest in the store for the next start', async () => {
    const shared = memoryStore<QueuedMessage[]>();
    const first = run(shared);
    await first.outbox.start();
    for (let i = 1; i <= 6; i++) first.outbox.enqueue(chat('A'), textReply(`a${i}`));
    await vi.advanceTimersByTimeAsync(1_500);
    let stopped = false;
    const stopping = first.outbox.stop({ drain: true, timeoutMs: 60_000 }).then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(200);
    first.outbox.skipDrain();
    await vi.advanceTimersByTimeAsync(1_100);
    await stopping;
    expect(stopped).toBe(true);
    expect(texts(first.sender.delivered)).toEqual(['a1', 'a2']);
    expect(shared.map.get('telegram:A')).toHaveLength(4);

    const second = run(shared);
    second.keep();
    await second.outbox.start();
    await vi.advanceTimersByTimeAsync(6_000);
    expect(texts(second.sender.delivered)).toEqual(['a3', 'a4', 'a5', 'a6']);
  });

  it('ignores an id already pending, in memory or in the store', async () => {
    const shared = memoryStore<QueuedMessage[]>();
    const first = run(shared);
    expect(first.outbox.enqueue(chat('A'), textReply('x'), { owner: 'alerts', id: 'c1' })).toEqual({ status: 'queued', position: 1 });
    expect(first.outbox.enqueue(chat('A'), textReply('y'), { owner: 'alerts', id: 'c2' })).toEqual({ status: 'queued', position: 2 });
    expect(first.outbox.enqueue(chat('A'), textReply('y again'), { owner: 'alerts', id: 'c2' })).toEqual({ status: 'queued', position: 2, duplicate: true });
    // Another owner, or another chat, may use the same id.
    expect(first.outbox.enqueue(chat('A'), textReply('digest'), { owner: 'digests', id: 'c1' })).toEqual({ status: 'queued', position: 3 });
    expect(first.outbox.enqueue(chat('B'), textReply('x for B'), { owner: 'alerts', id: 'c1' })).toEqual({ status: 'queued', position: 1 });
    await first.outbox.flush();
    first.kill();

    const second = run(shared);
    second.keep();
    await second.outbox.start();
    // The owner re-enqueues its pending records after the crash: nothing doubles.
    expect(second.outbox.enqueue(chat('A'), textReply('x again'), { owner: 'alerts', id: 'c1' })).toMatchObject({ duplicate: true });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(texts(second.sender.delivered).sort()).toEqual(['digest', 'x', 'x for B', 'y']);
    // Once delivered in this run, the id stays settled: a late re-offer is not sent again.
    expect(second.outbox.enqueue(chat('A'), textReply('x later'), { owner: 'alerts', id: 'c1' })).toMatchObject({ status: 'queued', duplicate: true });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(texts(second.sender.delivered).filter((text) => text.startsWith('x later'))).toEqual([]);
  });

  it('remembers unreachable targets across a restart until markReachable clears them in the store', async () => {
    const shared = memoryStore<QueuedMessage[]>();
    const marks = memoryStore<never>();
    const blocked = { decide: (record: SendRecord) => (record.chatId === 'gone' ? { status: 'unreachable' as const, reason: '403 blocked' } : { status: 'sent' as const }) };
    const first = new Outbox({ senders: { telegram: killableSender(blocked) }, store: shared, unreachableStore: marks, log: silentLog() });
    live.push(first);
    await first.start();
    first.enqueue(chat('gone'), textReply('g1'));
    await vi.advanceTimersByTimeAsync(100);
    expect(first.isUnreachable(chat('gone'))).toBe(true);
    await first.stop({ drain: false, timeoutMs: 0 });

    const second = new Outbox({ senders: { telegram: killableSender() }, store: shared, unreachableStore: marks, log: silentLog() });
    live.push(second);
    await second.start();
    expect(second.isUnreachable(chat('gone'))).toBe(true);
    expect(second.enqueue(chat('gone'), textReply('g2'))).toMatchObject({ status: 'refused', code: 'unreachable', reason: expect.stringMatching(/403 blocked/) });
    expect(await second.markReachable(chat('gone'))).toBe(true);
    expect(marks.map.size).toBe(0);
    expect(second.enqueue(chat('gone'), textReply('g3'))).toMatchObject({ status: 'queued' });
  });
});
