import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SendOutcome, Target } from '../../src/core/adapter.js';
import { Outbox, type OutboxOptions } from '../../src/delivery/outbox.js';
import type { QueuedMessage } from '../../src/delivery/queued-message.js';
import { busiestWindow, fakeSender, memoryStore, silentLog, textReply, type SendRecord } from './fake-sender.js';

const telegram = (chatId: string, kind: 'private' | 'group' = 'private'): Target => ({ platform: 'telegram', chatId, kind });
const discord = (chatId: string): Target => ({ platform: 'discord', chatId });

type Sender = ReturnType<typeof fakeSender>;

describe('Outbox (controlled clock)', () => {
  const outboxes: Outbox[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(async () => {
    for (const outbox of outboxes.splice(0)) await outbox.stop({ drain: false, timeoutMs: 0 });
    vi.useRealTimers();
  });

  function build(senders: { telegram?: Sender; discord?: Sender }, extra: Partial<OutboxOptions> = {}) {
    const log = silentLog();
    const outbox = new Outbox({ senders, store: memoryStore<QueuedMessage[]>(), log, ...extra });
    outboxes.push(outbox);
    return { outbox, log };
  }

  const texts = (records: SendRecord[]) => records.map((record) => record.text);

  it('sends at most one message per second to a Telegram chat, in order', async () => {
    const sender = fakeSender({ latencyMs: 20 });
    const { outbox } = build({ telegram: sender });
    for (let i = 1; i <= 5; i++) outbox.enqueue(telegram('42'), textReply(`m${i}`));
    await outbox.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(texts(sender.delivered)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    const starts = sender.calls.map((call) => call.startedAt);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(1_000);
    expect(outbox.stats()).toMatchObject({ queued: 0, sent: 5, retried: 0 });
  });

  it('keeps the Telegram total near 30/s and never above it in any second', async () => {
    const sender = fakeSender({ latencyMs: 15 });
    const { outbox } = build({ telegram: sender });
    await outbox.start();
    for (let i = 0; i < 150; i++) outbox.enqueue(telegram(`c${i}`), textReply(`m${i}`));
    const startedAt = Date.now();
    await vi.advanceTimersByTimeAsync(10_000);
    const starts = sender.calls.map((call) => call.startedAt);
    expect(sender.delivered).toHaveLength(150);
    expect(busiestWindow(starts, 1_000)).toBeLessThanOrEqual(30);
    // 150 at 30/s: a first burst of 30, then 120 spaced evenly over 4 s; a limiter that wastes slots would take far longer.
    expect(Math.max(...starts) - startedAt).toBeLessThan(5_300);
    // After the first burst, evenly spaced: at most a catch-up of a few within a thirtieth of a second.
    expect(busiestWindow(starts.slice(30), 1_000 / 30)).toBeLessThanOrEqual(6);
  });

  it('counts every platform message a reply becomes (partsOf) against the limits', async () => {
    const sender = { ...fakeSender({ latencyMs: 5 }), partsOf: () => 3 };
    const { outbox } = build({ telegram: sender });
    await outbox.start();
    for (let i = 0; i < 40; i++) outbox.enqueue(telegram(`c${i}`), textReply(`m${i}`));
    await vi.advanceTimersByTimeAsync(8_000);
    expect(sender.delivered).toHaveLength(40);
    // 3 parts each: at most 10 replies in any second keeps Telegram at 30 messages/s.
    expect(busiestWindow(sender.calls.map((call) => call.startedAt), 1_000)).toBeLessThanOrEqual(10);
  });

  it('holds a Telegram group to 20 messages a minute', async () => {
    const sender = fakeSender({ latencyMs: 5 });
    const { outbox } = build({ telegram: sender });
    await outbox.start();
    for (let i = 0; i < 25; i++) outbox.enqueue(telegram('-100', 'group'), textReply(`g${i}`));
    await vi.advanceTimersByTimeAsync(50_000);
    expect(sender.calls).toHaveLength(20);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(texts(sender.delivered)).toEqual(Array.from({ length: 25 }, (_, i) => `g${i}`));
    expect(busiestWindow(sender.calls.map((call) => call.startedAt), 60_000)).toBeLessThanOrEqual(20);
  });

  it('holds a Discord channel to 5 per 5 s and honours configured limits', async () => {
    const sender = fakeSender({ latencyMs: 5 });
    const { outbox } = build({ discord: sender }, { limits: { platforms: { discord: { global: { limit: 4, windowMs: 1_000 } } } } });
    await outbox.start();
    for (let i = 0; i < 12; i++) outbox.enqueue(discord('chan'), textReply(`d${i}`));
    for (let i = 0; i < 8; i++) outbox.enqueue(discord(`other${i}`), textReply(`o${i}`));
    await vi.advanceTimersByTimeAsync(20_000);
    const channel = sender.calls.filter((call) => call.chatId === 'chan').map((call) => call.startedAt);
    expect(channel).toHaveLength(12);
    expect(busiestWindow(channel, 5_000)).toBeLessThanOrEqual(5);
    expect(busiestWindow(sender.calls.map((call) => call.startedAt), 1_000)).toBeLessThanOrEqual(4);
  });

  it('honours retry_after on a 429, retries the same message and keeps the order', async () => {
    const sender = fakeSender({
      latencyMs: 10,
      decide: (record, attempt): SendOutcome =>
        record.text === 'm2' && attempt === 1 ? { status: 'retry-later', retryAfterMs: 7_000, reason: '429' } : { status: 'sent' },
    });
    const { outbox } = build({ telegram: sender });
    await outbox.start();
    for (const text of ['m1', 'm2', 'm3']) outbox.enqueue(telegram('7'), textReply(text));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(texts(sender.calls)).toEqual(['m1', 'm2', 'm2', 'm3']);
    expect(texts(sender.delivered)).toEqual(['m1', 'm2', 'm3']);
    const [, first429, retry] = sender.calls;
    expect(retry!.startedAt - first429!.startedAt).toBeGreaterThanOrEqual(7_000);
    expect(outbox.stats()).toMatchObject({ sent: 3, retried: 1, gaveUp: 0, queued: 0 });
  });

  it('pauses the whole platform on a 429 that says it is global', async () => {
    let answered429 = false;
    const sender = fakeSender({
      latencyMs: 5,
      decide: (record): SendOutcome => {
        if (record.chatId !== 'a' || answered429) return { status: 'sent' };
        answered429 = true;
        return { status: 'retry-later', retryAfterMs: 3_000, reason: 'global 429', global: true } as SendOutcome;
      },
    });
    const { outbox } = build({ discord: sender });
    await outbox.start();
    outbox.enqueue(discord('a'), textReply('a1'));
    await vi.advanceTimersByTimeAsync(100);
    const pausedAt = Date.now();
    outbox.enqueue(discord('b'), textReply('b1'));
    await vi.advanceTimersByTimeAsync(10_000);
    const b = sender.calls.find((call) => call.chatId === 'b')!;
    expect(b.startedAt - pausedAt).toBeGreaterThanOrEqual(2_800);
    expect(texts(sender.delivered).sort()).toEqual(['a1', 'b1']);
  });

  it('gives up on a message after maxAttempts with a log line, then moves on', async () => {
    const sender = fakeSender({
      decide: (record): SendOutcome => (record.text === 'bad' ? { status: 'retry-later', retryAfterMs: 500, reason: '502' } : { status: 'sent' }),
    });
    const { outbox, log } = build({ telegram: sender }, { limits: { maxAttempts: 3 } });
    await outbox.start();
    outbox.enqueue(telegram('1'), textReply('bad'));
    outbox.enqueue(telegram('1'), textReply('good'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(texts(sender.calls)).toEqual(['bad', 'bad', 'bad', 'good']);
    expect(outbox.stats()).toMatchObject({ gaveUp: 1, sent: 1 });
    expect(log.warnings.some((line) => /gave up/.test(line))).toBe(true);
  });

  it('backs off and retries when the sender throws', async () => {
    const sender = fakeSender({ decide: (_record, attempt) => (attempt < 3 ? new Error('socket hang up') : { status: 'sent' }) });
    const { outbox } = build({ telegram: sender });
    await outbox.start();
    outbox.enqueue(telegram('1'), textReply('x'));
    await vi.advanceTimersByTimeAsync(10_000);
    const starts = sender.calls.map((call) => call.startedAt);
    expect(starts).toHaveLength(3);
    expect(starts[2]! - starts[1]!).toBeGreaterThan(starts[1]! - starts[0]!);
    expect(sender.delivered).toHaveLength(1);
  });

  it('on 403 drops the queue, reports the target once, refuses later messages until markReachable', async () => {
    let blocked = true;
    const sender = fakeSender({
      latencyMs: 5,
      decide: (record): SendOutcome =>
        record.chatId === 'blocked' && blocked ? { status: 'unreachable', reason: '403 bot was blocked by the user' } : { status: 'sent' },
    });
    const onUnreachable = vi.fn();
    const { outbox } = build({ telegram: sender }, { onUnreachable });
    await outbox.start();
    for (let i = 0; i < 3; i++) outbox.enqueue(telegram('blocked'), textReply(`b${i}`));
    outbox.enqueue(telegram('fine'), textReply('f0'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sender.calls.filter((call) => call.chatId === 'blocked')).toHaveLength(1);
    expect(onUnreachable).toHaveBeenCalledTimes(1);
    expect(onUnreachable).toHaveBeenCalledWith(expect.objectContaining({ chatId: 'blocked' }), '403 bot was blocked by the user');
    expect(outbox.stats()).toMatchObject({ dropped: 3, queued: 0, unreachable: 1, sent: 1 });

    const refused = outbox.enqueue(telegram('blocked'), textReply('again'));
    expect(refused).toMatchObject({ status: 'refused', code: 'unreachable' });
    expect(refused.status === 'refused' && refused.reason).toMatch(/blocked by the user/);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(onUnreachable).toHaveBeenCalledTimes(1);

    blocked = false;
    expect(await outbox.markReachable(telegram('blocked'))).toBe(true);
    expect(outbox.enqueue(telegram('blocked'), textReply('back'))).toMatchObject({ status: 'queued' });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(texts(sender.delivered)).toContain('back');
  });

  it('refuses platforms without a sender and queues beyond the per-target cap', () => {
    const { outbox } = build({ telegram: fakeSender() }, { limits: { maxQueuePerTarget: 2 } });
    expect(outbox.enqueue(discord('x'), textReply('x'))).toMatchObject({ status: 'refused', code: 'no-sender' });
    outbox.enqueue(telegram('1'), textReply('1'));
    expect(outbox.enqueue(telegram('1'), textReply('2'))).toMatchObject({ status: 'queued', position: 2 });
    expect(outbox.enqueue(telegram('1'), textReply('3'))).toMatchObject({ status: 'refused', code: 'queue-full' });
    expect(outbox.stats().refused).toBe(2);
  });

  it('is fair: a busy chat does not starve the others', async () => {
    const sender = fakeSender({ latencyMs: 5 });
    // Only the platform budget binds (2/s), so a FIFO of messages would serve the busy chat for 20 s.
    const limits = { platforms: { discord: { perTarget: { limit: 100, windowMs: 1_000 }, global: { limit: 2, windowMs: 1_000 } } } };
    const { outbox } = build({ discord: sender }, { limits });
    for (let i = 0; i < 40; i++) outbox.enqueue(discord('busy'), textReply(`busy${i}`));
    for (let i = 0; i < 4; i++) outbox.enqueue(discord(`early${i}`), textReply(`early${i}`));
    await outbox.start();
    await vi.advanceTimersByTimeAsync(2_500);
    // Latecomers join while the busy chat still has a long backlog ready to go.
    const lateFrom = sender.calls.length;
    for (let i = 0; i < 4; i++) outbox.enqueue(discord(`late${i}`), textReply(`late${i}`));
    await vi.advanceTimersByTimeAsync(10_000);
    const order = sender.calls.map((call) => call.chatId);
    const served = (prefix: string) => order.flatMap((chat, index) => (chat.startsWith(prefix) ? [index] : []));
    expect(served('early')).toHaveLength(4);
    expect(Math.max(...served('early'))).toBeLessThan(6);
    expect(served('late')).toHaveLength(4);
    // Round-robin: the busy chat gets at most one turn per round, so 4 latecomers are done within 8 sends.
    expect(Math.max(...served('late'))).toBeLessThan(lateFrom + 8);
  });

  it('sleeps between tokens instead of polling', async () => {
    let clockReads = 0;
    const sender = fakeSender({ latencyMs: 5 });
    const { outbox } = build({ telegram: sender }, { now: () => (clockReads++, Date.now()) });
    await outbox.start();
    for (let i = 0; i < 10; i++) outbox.enqueue(telegram('slow'), textReply(`s${i}`));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sender.delivered).toHaveLength(10);
    // A 1 ms polling loop would read the clock tens of thousands of times over this minute.
    expect(clockReads).toBeLessThan(200);
  });
});
