/**
 * Broadcast one message to many Telegram chats through the real TelegramAdapter (telegraf) and
 * the fake Bot API with Telegram's send limits enforced. The outbox run should hold close to
 * the 30 messages/s limit with no 429; the naive baseline (every send at once, no limiter)
 * in the same run shows what the limiter buys: 429s, and messages that never arrive.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { TelegramAdapter } from '../src/adapters/telegram/adapter.js';
import type { SendOutcome, Target } from '../src/core/adapter.js';
import type { CommandContext } from '../src/core/command.js';
import { Dispatcher } from '../src/core/dispatch.js';
import type { Reply } from '../src/core/reply.js';
import { Outbox } from '../src/delivery/outbox.js';
import { DEFAULT_LIMITS } from '../src/delivery/limits.js';
import { createStoreFactory } from '../src/store/index.js';
import type { BenchRow } from './stats.js';
import { startFakeTelegram, type FakeTelegram } from '../test/fakes/telegram-api.js';


const SCENARIO = 'telegram-broadcast';
const GLOBAL_WINDOW = DEFAULT_LIMITS.telegram.global;
const GLOBAL_LIMIT_PER_S = GLOBAL_WINDOW.limit / (GLOBAL_WINDOW.windowMs / 1000);

const DIGEST: Reply = {
  title: 'Daily basis digest',
  tone: 'contango',
  blocks: [
    { kind: 'text', text: 'BTC quarterly basis is 6.1% annualized on binance, 5.8% on okx.' },
    { kind: 'note', tone: 'info', text: 'Mid prices; quotes 2 s old.' },
  ],
};

interface RunResult {
  delivered: number;
  seconds: number;
  tooManyRequests: number;
}

function broadcastTargets(chats: number): Target[] {
  // Positive ids: private chats (the fake treats negative ids as groups, 20/min each).
  return Array.from({ length: chats }, (_, i) => ({ platform: 'telegram', chatId: String(100_000 + i), kind: 'private' }));
}

/** The real adapter, pointed at the fake; no start(): pushing needs no polling. */
function adapterFor(fake: FakeTelegram, log: pino.Logger): TelegramAdapter {
  const context = { services: undefined, now: Date.now } as unknown as CommandContext;
  return new TelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, dispatcher: new Dispatcher([], context, log), log });
}

const count429 = (fake: FakeTelegram) => fake.calls.filter((call) => call.status === 429).length;

async function withFake(run: (fake: FakeTelegram, adapter: TelegramAdapter) => Promise<RunResult>): Promise<RunResult> {
  const log = pino({ level: 'silent' });
  // A fresh fake per run, so one run's rate windows do not bleed into the other's.
  const fake = await startFakeTelegram({ rateLimits: true });
  try {
    return await run(fake, adapterFor(fake, log));
  } finally {
    await fake.close();
  }
}

async function throughOutbox(targets: Target[]): Promise<RunResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-bench-outbox-'));
  const stores = createStoreFactory({ dataDir });
  try {
    return await withFake(async (fake, adapter) => {
      const outbox = new Outbox({ senders: { telegram: adapter }, store: stores.open('outbox'), log: pino({ level: 'silent' }) });
      await outbox.start();
      const startedAt = performance.now();
      for (const target of targets) outbox.enqueue(target, DIGEST, { owner: 'bench' });
      await outbox.whenIdle();
      const seconds = (performance.now() - startedAt) / 1000;
      await outbox.stop({ drain: true, timeoutMs: 1_000 });
      return { delivered: fake.sent.length, seconds, tooManyRequests: count429(fake) };
    });
  } finally {
    await stores.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** What a bot without an outbox does: fire every send at once and keep whatever got through. */
async function naive(targets: Target[]): Promise<RunResult> {
  return withFake(async (fake, adapter) => {
    const startedAt = performance.now();
    const outcomes: SendOutcome[] = await Promise.all(targets.map((target) => adapter.send(target, DIGEST)));
    const seconds = (performance.now() - startedAt) / 1000;
    const delivered = outcomes.filter((outcome) => outcome.status === 'sent').length;
    return { delivered, seconds, tooManyRequests: count429(fake) };
  });
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export async function benchTelegramBroadcast(options: { chats: number }): Promise<{ rows: BenchRow[] }> {
  const targets = broadcastTargets(options.chats);
  const baseline = await naive(targets);
  const outbox = await throughOutbox(targets);
  const rate = (run: RunResult) => run.delivered / run.seconds;
  // A sliding window lets the first `limit` messages go at once; what a limiter can sustain is
  // the rest over the time it took. Reported raw, the burst inflates short runs above 30/s.
  const sustained = (run: RunResult) => Math.max(0, run.delivered - GLOBAL_WINDOW.limit) / run.seconds;
  const row = (metric: string, value: number | string, baselineValue?: number | string, ratio?: number | string): BenchRow => ({
    scenario: SCENARIO,
    metric,
    value,
    ...(baselineValue === undefined ? {} : { baseline: baselineValue }),
    ...(ratio === undefined ? {} : { ratio }),
  });
  return {
    rows: [
      row('chats', options.chats),
      row('delivered', `${outbox.delivered}/${options.chats}`, `${baseline.delivered}/${options.chats}`),
      row('wall time (s)', round(outbox.seconds), round(baseline.seconds)),
      row('delivered msgs/s (delivered / wall time)', round(rate(outbox)), round(rate(baseline))),
      // ratio: the share of Telegram's 30/s limit sustained by the outbox (target >= 0.9).
      row(
        `sustained msgs/s after the first ${GLOBAL_WINDOW.limit} (ratio = share of ${GLOBAL_LIMIT_PER_S}/s)`,
        round(sustained(outbox)),
        round(sustained(baseline)),
        round(sustained(outbox) / GLOBAL_LIMIT_PER_S),
      ),
      row('429 responses (target 0)', outbox.tooManyRequests, baseline.tooManyRequests),
    ],
  };
}
