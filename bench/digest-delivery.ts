/**
 * Issue 8's delivery row: BENCH_CHATS chats due at 08:00, their digests composed by the real
 * DigestService from the replay venues and delivered through the real outbox and the real
 * TelegramAdapter to the fake Bot API at its limits (1/s per chat, 30/s overall, 429 above).
 * Reported: the time from the slot's start to the last digest accepted, over the theoretical
 * minimum of chats ÷ 30/s (target 1.1× or better) and 429s (target 0). A digest with a chart
 * is a photo and a text on Telegram, two sends; the minimum for the messages is shown too.
 * The naive baseline sends the same digests all at once, each retried after its 429.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import type { TelegramAdapter } from '../src/adapters/telegram/adapter.js';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Target } from '../src/core/adapter.js';
import type { Reply } from '../src/core/reply.js';
import { DEFAULT_LIMITS } from '../src/delivery/limits.js';
import type { PushService } from '../src/delivery/push.js';
import { createDigests } from '../src/digests/index.js';
import { startReplayServer, type ReplayServer } from '../src/market/replay/server.js';
import { Scheduler } from '../src/schedule/scheduler.js';
import { createStoreFactory } from '../src/store/index.js';
import { sendWithRetries, withOutbox } from './broadcast-common.js';
import { ratio, round, type BenchRow } from './stats.js';
import { privateChats, telegramRun, withFakeTelegram } from './telegram-broadcast.js';

const SLOT = Date.UTC(2026, 11, 1, 8, 0, 0);
const GLOBAL = DEFAULT_LIMITS.telegram.global;
const PER_SECOND = GLOBAL.limit / (GLOBAL.windowMs / 1000);

interface DeliveryRun {
  seconds: number;
  composeSeconds: number;
  delivered: number;
  tooManyRequests: number;
  /** Telegram sends per digest (a photo with the chart, then the text). */
  parts: number;
}

/**
 * Sets `targets` to 08:00 UTC on a fresh DigestService (untimed set-up), then runs the 08:00
 * slot into `push`: returns when that run started and when it returned (composed and queued).
 */
async function runSlot(app: App, dataDir: string, targets: Target[], push: PushService): Promise<{ startedAt: number; queuedAt: number }> {
  const stores = createStoreFactory({ dataDir: fs.mkdtempSync(path.join(dataDir, 'digests-')) });
  const log = pino({ level: 'silent' });
  const scheduler = new Scheduler(log);
  let clock = SLOT - 3_600_000;
  const digests = createDigests({ stores, market: app.market, push, scheduler, renderCurveChart: app.services.renderCurveChart, config: app.config, now: () => clock, log });
  try {
    await digests.start();
    scheduler.cancel('digests');
    await digests.runDue(clock);
    for (const target of targets) await digests.set(target, '08:00 UTC', 'bench');
    clock = SLOT;
    const startedAt = performance.now();
    await digests.runDue(SLOT);
    return { startedAt, queuedAt: performance.now() };
  } finally {
    await digests.stop();
    await scheduler.stop(100);
    await stores.close();
  }
}

/** Counts the parts of the first digest queued (they all have the same shape). */
function partsProbe(adapter: TelegramAdapter, push: PushService): { push: PushService; parts: () => number } {
  let parts = 0;
  return {
    push: { ...push, enqueue: (target, reply, meta) => ((parts ||= adapter.partsOf(reply)), push.enqueue(target, reply, meta)) },
    parts: () => parts,
  };
}

async function throughOutbox(app: App, dataDir: string, targets: Target[]): Promise<DeliveryRun> {
  return withFakeTelegram(0, (fake, adapter) =>
    withOutbox('telegram', adapter, async (outbox) => {
      const probe = partsProbe(adapter, outbox.pushService());
      const slot = await runSlot(app, dataDir, targets, probe.push);
      await outbox.whenIdle();
      const run = telegramRun(fake, (performance.now() - slot.startedAt) / 1000);
      return { ...run, composeSeconds: (slot.queuedAt - slot.startedAt) / 1000, parts: probe.parts() };
    }),
  );
}

/** What a bot without an outbox does: compose the same digests, send them all at once, retry after each 429. */
async function naive(app: App, dataDir: string, targets: Target[]): Promise<DeliveryRun> {
  return withFakeTelegram(0, async (fake, adapter) => {
    const queued: [Target, Reply][] = [];
    const collect: PushService = {
      enqueue: (target, reply) => (queued.push([target, reply]), { status: 'queued', position: queued.length }),
      isUnreachable: () => false,
      markReachable: () => undefined,
      canReach: async () => true,
    };
    const slot = await runSlot(app, dataDir, targets, collect);
    await Promise.all(queued.map(([target, reply]) => sendWithRetries(() => adapter.send(target, reply))));
    const run = telegramRun(fake, (performance.now() - slot.startedAt) / 1000);
    return { ...run, composeSeconds: (slot.queuedAt - slot.startedAt) / 1000, parts: queued[0] ? adapter.partsOf(queued[0][1]) : 0 };
  });
}

export async function benchDigestDelivery(options: { chats: number }): Promise<BenchRow[]> {
  const server: ReplayServer = await startReplayServer();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-bench-digest-delivery-'));
  const config = loadConfig({ VENUE_BASE_URL: server.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', VENUE_TIMEOUT_MS: '8000' });
  const app = await createApp(config, { log: pino({ level: 'silent' }), marketsCacheTag: 'replay' });
  try {
    // Markets loaded once, so both runs compose from cold quotes and loaded markets alike.
    await app.market.curves('BTC');
    const targets = privateChats(options.chats);
    const baseline = await naive(app, dataDir, targets);
    const outbox = await throughOutbox(app, dataDir, targets);
    const minimum = options.chats / PER_SECOND;
    const messagesMinimum = (options.chats * outbox.parts) / PER_SECOND;
    const scenario = `digest delivery, ${options.chats} chats due at once, fake Telegram at its limits`;
    return [
      { scenario, metric: 'delivered digests (Telegram sends each)', value: `${outbox.delivered / Math.max(1, outbox.parts)}/${options.chats} (${outbox.parts})`, baseline: `${baseline.delivered / Math.max(1, baseline.parts)}/${options.chats} (${baseline.parts})` },
      // Compose time is the fan-out bench's subject; the run that goes first pays the cold start, so no baseline here.
      { scenario, metric: 'compose + queue s (the slot\'s run)', value: round(outbox.composeSeconds) },
      { scenario, metric: 'slot start to last digest accepted, s', value: round(outbox.seconds), baseline: round(baseline.seconds), ratio: ratio(outbox.seconds, baseline.seconds) },
      {
        scenario,
        metric: `delivery ÷ minimum (chats ÷ ${PER_SECOND}/s = ${round(minimum, 1)} s; target 1.1x)`,
        value: `${round(outbox.seconds / minimum)}x`,
        baseline: `${round(baseline.seconds / minimum)}x`,
        ratio: `÷ ${outbox.parts} sends per digest: ${round(outbox.seconds / messagesMinimum)}x of ${round(messagesMinimum, 1)} s`,
      },
      { scenario, metric: '429 responses (target 0)', value: outbox.tooManyRequests, baseline: baseline.tooManyRequests },
    ];
  } finally {
    await app.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
