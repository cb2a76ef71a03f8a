/**
 * Broadcast one message to many Discord channels through the real DiscordAdapter (discord.js
 * REST) and the fake Discord with its REST limits on (50 requests/s per bot, 5 messages per
 * 5 s per channel, counted on arrival), at 0, 100 and 250 ms of round trip. The naive
 * baseline is what OSS bots do: every send at once, left to discord.js (its own 50/s counter
 * and its retries after a 429), and retried after retry_after if it still fails.
 */
import pino from 'pino';
import { DiscordAdapter } from '../src/adapters/discord/adapter.js';
import type { Target } from '../src/core/adapter.js';
import type { CommandContext } from '../src/core/command.js';
import { Dispatcher } from '../src/core/dispatch.js';
import { DEFAULT_LIMITS } from '../src/delivery/limits.js';
import { BROADCAST_REPLY as DIGEST, broadcastRows, ROUND_TRIPS_MS, steadyPerSecond, timedNaiveBroadcast, timedOutboxBroadcast, withOutbox, type BroadcastRun } from './broadcast-common.js';
import type { BenchRow } from './stats.js';
import { startFakeDiscord, type FakeDiscord } from '../test/fakes/discord-server.js';

const SCENARIO = 'discord-broadcast';
const GLOBAL_WINDOW = DEFAULT_LIMITS.discord.global;
const GLOBAL_LIMIT_PER_S = GLOBAL_WINDOW.limit / (GLOBAL_WINDOW.windowMs / 1000);

const channels = (count: number): Target[] =>
  Array.from({ length: count }, (_, i) => ({ platform: 'discord', chatId: String(500_000_000_000_000_000n + BigInt(i)), kind: 'group' }));

/** A fresh fake and adapter per run; the adapter never logs in: pushes need only REST. */
async function withFakeDiscord(latencyMs: number, run: (fake: FakeDiscord, adapter: DiscordAdapter) => Promise<number>): Promise<BroadcastRun> {
  const fake = await startFakeDiscord({ rateLimits: true, latencyMs });
  const log = pino({ level: 'silent' });
  const context = { services: undefined, now: Date.now } as unknown as CommandContext;
  const adapter = new DiscordAdapter({ token: fake.token, apiBase: fake.apiBase, dispatcher: new Dispatcher([], context, log), log });
  try {
    const seconds = await run(fake, adapter);
    const sends = fake.calls.filter((call) => call.method === 'POST' && call.path.startsWith('/channels/'));
    const accepted = sends.filter((call) => call.status === 200).map((call) => call.at);
    return { delivered: accepted.length, seconds, tooManyRequests: sends.filter((call) => call.status === 429).length, steady: steadyPerSecond(accepted, GLOBAL_WINDOW.windowMs) };
  } finally {
    await adapter.stop();
    await fake.close();
  }
}

async function throughOutbox(targets: Target[], latencyMs: number): Promise<BroadcastRun> {
  return withFakeDiscord(latencyMs, (_fake, adapter) =>
    withOutbox('discord', adapter, (outbox) => timedOutboxBroadcast(outbox, targets, DIGEST)),
  );
}

async function naive(targets: Target[], latencyMs: number): Promise<BroadcastRun> {
  return withFakeDiscord(latencyMs, (_fake, adapter) => timedNaiveBroadcast(targets, (target) => adapter.send(target, DIGEST)));
}

export async function benchDiscordBroadcast(options: { chats: number }): Promise<BenchRow[]> {
  const targets = channels(options.chats);
  const rows: BenchRow[] = [];
  for (const latencyMs of ROUND_TRIPS_MS) {
    const baseline = await naive(targets, latencyMs);
    const outbox = await throughOutbox(targets, latencyMs);
    rows.push(...broadcastRows(`${SCENARIO}, ${options.chats} channels, ${latencyMs} ms round trip`, options.chats, outbox, baseline, GLOBAL_LIMIT_PER_S));
  }
  return rows;
}
