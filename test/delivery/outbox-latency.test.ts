/**
 * Issue 12: the outbox counts its rate windows from each send's start (plus a margin), not
 * from the answer, so a slow round trip no longer costs throughput. The round trip is put
 * in by the fake clock: each send answers `rttMs` after it started.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SendOutcome, Target } from '../../src/core/adapter.js';
import type { Reply } from '../../src/core/reply.js';
import type { OutboxLimits } from '../../src/delivery/limits.js';
import { Outbox } from '../../src/delivery/outbox.js';
import { ROUND_TRIP_WARMUP } from '../../src/delivery/round-trips.js';
import type { PaceTurn } from '../../src/delivery/pacer.js';
import type { QueuedMessage } from '../../src/delivery/queued-message.js';
import { busiestWindow, memoryStore, silentLog, textReply } from './fake-sender.js';

const chat = (chatId: string): Target => ({ platform: 'telegram', chatId, kind: 'private' });

interface Trip {
  chatId: string;
  text: string;
  startedAt: number;
  answeredAt?: number;
}

/** A platform `rttMs` away (per send, if a function): each send is accepted one round trip after it started. */
function slowSender(rttMs: number | ((index: number) => number)) {
  const trips: Trip[] = [];
  const rttOf = typeof rttMs === 'number' ? () => rttMs : rttMs;
  return {
    trips,
    canReach: async () => true,
    async send(target: Target, reply: Reply): Promise<SendOutcome> {
      const first = reply.blocks[0];
      const trip: Trip = { chatId: target.chatId, text: first?.kind === 'text' ? first.text : '', startedAt: Date.now() };
      trips.push(trip);
      await new Promise((resolve) => setTimeout(resolve, rttOf(trips.length - 1)));
      trip.answeredAt = Date.now();
      return { status: 'sent' };
    },
  };
}

describe('Outbox windows counted from the send start (controlled clock)', () => {
  let outbox: Outbox | undefined;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(async () => {
    await outbox?.stop({ drain: false, timeoutMs: 0 });
    outbox = undefined;
    vi.useRealTimers();
  });

  async function run(sender: ReturnType<typeof slowSender>, limits: OutboxLimits | undefined, enqueue: (box: Outbox) => void, forMs: number): Promise<void> {
    outbox = new Outbox({ senders: { telegram: sender }, store: memoryStore<QueuedMessage[]>(), log: silentLog(), ...(limits ? { limits } : {}) });
    await outbox.start();
    enqueue(outbox);
    await vi.advanceTimersByTimeAsync(forMs);
  }

  it('starts the next send of a window before the previous reply arrived, never more than the limit per window', async () => {
    // 1 send per 100 ms overall, and a 250 ms round trip: counting from the answer would allow one per 350 ms.
    const sender = slowSender(250);
    const limits: OutboxLimits = { platforms: { telegram: { global: { limit: 1, windowMs: 100 }, startMarginMs: 10 } } };
    const sends = ROUND_TRIP_WARMUP + 20;
    await run(sender, limits, (box) => {
      for (let i = 0; i < sends; i++) box.enqueue(chat(`c${i}`), textReply(`m${i}`));
    }, 20_000);
    const { trips } = sender;
    expect(trips).toHaveLength(sends);
    expect(trips.every((trip) => trip.answeredAt !== undefined)).toBe(true);
    expect(busiestWindow(trips.map((trip) => trip.startedAt), 100)).toBe(1);
    // Once the round trip is known (warm-up: counted from the answer, as before), every send goes
    // one window after the one before, while that one's answer is still on its way.
    for (let i = ROUND_TRIP_WARMUP + 2; i < trips.length; i++) {
      // The window moved on from the previous start, and the previous answer was still on its way.
      expect(trips[i]!.startedAt).toBe(trips[i - 1]!.startedAt + 100 + 10);
      expect(trips[i]!.startedAt).toBeLessThan(trips[i - 1]!.answeredAt!);
    }
  });

  it('holds 30/s at a 250 ms round trip without exceeding 30 in any second, as the platform counts arrivals', async () => {
    const sender = slowSender(250);
    await run(sender, undefined, (box) => {
      for (let i = 0; i < 180; i++) box.enqueue(chat(`c${i}`), textReply(`m${i}`));
    }, 10_000);
    const starts = sender.trips.map((trip) => trip.startedAt);
    expect(starts).toHaveLength(180);
    expect(busiestWindow(starts, 1_000)).toBe(30);
    // Requests reach the platform 100-124 ms after they start: a spread within the default 25 ms margin.
    const arrivals = starts.map((start, i) => start + 100 + ((i * 7) % 25));
    expect(busiestWindow(arrivals, 1_000)).toBeLessThanOrEqual(30);
    // The first sends are counted from their answers (warm-up). After that every span of one
    // window plus the margin holds a full 30 starts: the round trip costs nothing.
    const warm = starts.filter((start) => start >= starts[ROUND_TRIP_WARMUP + 30]! && start + 1_025 <= starts[starts.length - 1]!);
    expect(warm.length).toBeGreaterThan(60);
    for (const from of warm) expect(starts.filter((start) => start >= from && start < from + 1_025)).toHaveLength(30);
  });

  it('counts a burst that queued (slow first answers) from its answers, so the platform never sees more than 30 a second', async () => {
    // The first 30 sends queue on the way in: they reach the platform 290 ms after they start,
    // just before their answer. Later sends are quick. The shortest round trip seen is 5 ms.
    const sender = slowSender((index) => (index < 30 ? 300 : 5));
    await run(sender, undefined, (box) => {
      for (let i = 0; i < 120; i++) box.enqueue(chat(`c${i}`), textReply(`m${i}`));
    }, 10_000);
    const arrivals = sender.trips.map((trip, index) => trip.startedAt + (index < 30 ? 290 : 2));
    expect(arrivals).toHaveLength(120);
    expect(busiestWindow(arrivals, 1_000)).toBeLessThanOrEqual(30);
  });

  it('keeps one chat in order, one send at a time, each a window after the one before', async () => {
    const sender = slowSender(1_500);
    await run(sender, undefined, (box) => {
      for (let i = 1; i <= 4; i++) box.enqueue(chat('42'), textReply(`m${i}`));
    }, 20_000);
    const { trips } = sender;
    expect(trips.map((trip) => trip.text)).toEqual(['m1', 'm2', 'm3', 'm4']);
    for (let i = 1; i < trips.length; i++) {
      // Even with a round trip longer than the chat's window, the next message waits for the answer.
      expect(trips[i]!.startedAt).toBeGreaterThanOrEqual(trips[i - 1]!.answeredAt!);
      expect(trips[i]!.startedAt - trips[i - 1]!.startedAt).toBeGreaterThanOrEqual(1_000);
    }
  });
});

describe('Outbox with a sender that paces the parts of a reply (controlled clock)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a chart and its text a second apart in each chat, nothing between them, 30/s overall', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const parts: { chatId: string; label: string; at: number }[] = [];
    const sender = {
      pacesParts: true,
      partsOf: (reply: Reply) => (reply.image ? 2 : 1),
      canReach: async () => true,
      async send(target: Target, reply: Reply, pace?: PaceTurn): Promise<SendOutcome> {
        const first = reply.blocks[0];
        const text = first?.kind === 'text' ? first.text : '';
        const labels = reply.image ? [`${text}/chart`, `${text}/text`] : [text];
        for (const label of labels) {
          await pace?.next();
          parts.push({ chatId: target.chatId, label, at: Date.now() });
          await new Promise((resolve) => setTimeout(resolve, 20));
          pace?.done();
        }
        return { status: 'sent' };
      },
    };
    const outbox = new Outbox({ senders: { telegram: sender }, store: memoryStore<QueuedMessage[]>(), log: silentLog() });
    await outbox.start();
    const digest = (text: string): Reply => ({ ...textReply(text), image: { name: 'c.png', png: Buffer.from('png'), alt: 'chart' } });
    for (let i = 0; i < 40; i++) outbox.enqueue(chat(`c${i}`), digest(`d${i}`));
    outbox.enqueue(chat('c0'), textReply('after'));
    await vi.advanceTimersByTimeAsync(10_000);
    await outbox.stop({ drain: false, timeoutMs: 0 });
    expect(parts).toHaveLength(81);
    const inChat = (chatId: string) => parts.filter((part) => part.chatId === chatId);
    expect(inChat('c0').map((part) => part.label)).toEqual(['d0/chart', 'd0/text', 'after']);
    for (let i = 0; i < 40; i++) {
      const [chart, text] = inChat(`c${i}`);
      expect(text!.at - chart!.at).toBeGreaterThanOrEqual(1_000);
    }
    expect(busiestWindow(parts.map((part) => part.at), 1_000)).toBeLessThanOrEqual(30);
  });
});
