/**
 * Broadcast one message to many Telegram chats through the real TelegramAdapter (telegraf) and
 * the fake Bot API with Telegram's send limits enforced, at 0, 100 and 250 ms of round trip
 * (injected by the fake: half on the way in, half on the way out). The outbox should hold
 * close to the 30 messages/s limit at every round trip with no 429. The naive baseline, in
 * the same run, is what OSS bots do: every send at once, each retried after its 429's
 * retry_after.
 */
import pino from 'pino';
import { TelegramAdapter } from '../src/adapters/telegram/adapter.js';
import type { Target } from '../src/core/adapter.js';
import type { CommandContext } from '../src/core/command.js';
import { Dispatcher } from '../src/core/dispatch.js';
import { DEFAULT_LIMITS } from '../src/delivery/limits.js';
import type { BenchRow } from './stats.js';
import { BROADCAST_REPLY as DIGEST, broadcastRows, ROUND_TRIPS_MS, steadyPerSecond, timedNaiveBroadcast, timedOutboxBroadcast, withOutbox, type BroadcastRun } from './broadcast-common.js';
import { startFakeTelegram, type FakeTelegram } from '../test/fakes/telegram-api.js';

const SCENARIO = 'telegram-broadcast';
const GLOBAL_WINDOW = DEFAULT_LIMITS.telegram.global;
const GLOBAL_LIMIT_PER_S = GLOBAL_WINDOW.limit / (GLOBAL_WINDOW.windowMs / 1000);

export function privateChats(chats: number): Target[] {
  // Positive ids: private chats (the fake treats negative ids as groups, 20/min each).
  return Array.from({ length: chats }, (_, i) => ({ platform: 'telegram', chatId: String(100_000 + i), kind: 'private' }));
}

/** The real adapter, pointed at the fake; no start(): pushing needs no polling. */
export function telegramAdapterFor(fake: FakeTelegram): TelegramAdapter {
  const log = pino({ level: 'silent' });
  const context = { services: undefined, now: Date.now } as unknown as CommandContext;
  return new TelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, dispatcher: new Dispatcher([], context, log), log });
}

/** What the fake saw: 429s, and the accepted sends' arrival times. */
export function telegramRun(fake: FakeTelegram, seconds: number): BroadcastRun {
  const sends = fake.calls.filter((call) => call.method === 'sendMessage' || call.method === 'sendPhoto');
  const accepted = sends.filter((call) => call.status === 200).map((call) => call.at);
  return {
    delivered: fake.sent.length,
    seconds,
    tooManyRequests: sends.filter((call) => call.status === 429).length,
    steady: steadyPerSecond(accepted, GLOBAL_WINDOW.windowMs),
  };
}

/** A fresh fake per run, so one run's rate windows do not bleed into the other's. */
export async function withFakeTelegram<T>(latencyMs: number, run: (fake: FakeTelegram, adapter: TelegramAdapter) => Promise<T>): Promise<T> {
  const fake = await startFakeTelegram({ rateLimits: true, latencyMs });
  try {
    return await run(fake, telegramAdapterFor(fake));
  } finally {
    await fake.close();
  }
}

async function throughOutbox(targets: Target[], latencyMs: number): Promise<BroadcastRun> {
  return withFakeTelegram(latencyMs, (fake, adapter) =>
    withOutbox('telegram', adapter, async (outbox) => telegramRun(fake, await timedOutboxBroadcast(outbox, targets, DIGEST))),
  );
}

/** What a bot without an outbox does: fire every send at once, retry each after its 429's retry_after. */
async function naive(targets: Target[], latencyMs: number): Promise<BroadcastRun> {
  return withFakeTelegram(latencyMs, async (fake, adapter) => telegramRun(fake, await timedNaiveBroadcast(targets, (target) => adapter.send(target, DIGEST))));
}

export async function benchTelegramBroadcast(options: { chats: number }): Promise<{ rows: BenchRow[] }> {
  const targets = privateChats(options.chats);
  const rows: BenchRow[] = [];
  for (const latencyMs of ROUND_TRIPS_MS) {
    const baseline = await naive(targets, latencyMs);
    const outbox = await throughOutbox(targets, latencyMs);
    rows.push(...broadcastRows(`${SCENARIO}, ${options.chats} chats, ${latencyMs} ms round trip`, options.chats, outbox, baseline, GLOBAL_LIMIT_PER_S));
  }
  return { rows };
}
