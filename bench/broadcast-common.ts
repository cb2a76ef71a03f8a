/**
 * What the broadcast benches share: the outbox on a throwaway SQLite store, the naive sender
 * (what OSS bots do: every send at once, each retried after the 429's retry_after), and the
 * rate the platform itself saw.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import type { SendOutcome, Target } from '../src/core/adapter.js';
import { Outbox, type OutboxSender } from '../src/delivery/outbox.js';
import type { Platform } from '../src/core/command.js';
import type { Reply } from '../src/core/reply.js';
import { createStoreFactory } from '../src/store/index.js';
import { round, type BenchRow } from './stats.js';

/** The message every broadcast sends: one short text, one platform message. */
export const BROADCAST_REPLY: Reply = {
  title: 'Daily basis digest',
  tone: 'contango',
  blocks: [
    { kind: 'text', text: 'BTC quarterly basis is 6.1% annualized on binance, 5.8% on okx.' },
    { kind: 'note', tone: 'info', text: 'Mid prices; quotes 2 s old.' },
  ],
};

/** Round trips the broadcasts run at: localhost, then a distant API server. */
export const ROUND_TRIPS_MS = [0, 100, 250];
/** A naive sender gives up on a message after this many 429s in a row. */
const NAIVE_MAX_ATTEMPTS = 50;

/** Runs `work` with a started outbox (real SQLite store in a temp dir), stopped and removed after. */
export async function withOutbox<T>(platform: Platform, sender: OutboxSender, work: (outbox: Outbox) => Promise<T>): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-bench-outbox-'));
  const stores = createStoreFactory({ dataDir });
  const outbox = new Outbox({ senders: { [platform]: sender }, store: stores.open('outbox'), log: pino({ level: 'silent' }) });
  try {
    await outbox.start();
    return await work(outbox);
  } finally {
    await outbox.stop({ drain: true, timeoutMs: 1_000 });
    await stores.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Seconds to deliver `reply` to every target through the outbox: all queued at once, then drained. */
export async function timedOutboxBroadcast(outbox: Outbox, targets: Target[], reply: Reply): Promise<number> {
  const startedAt = performance.now();
  for (const target of targets) outbox.enqueue(target, reply, { owner: 'bench' });
  await outbox.whenIdle();
  return (performance.now() - startedAt) / 1000;
}

/** Seconds for the naive way to deliver `reply` to every target: every send at once, each retried after its 429. */
export async function timedNaiveBroadcast(targets: Target[], send: (target: Target) => Promise<SendOutcome>): Promise<number> {
  const startedAt = performance.now();
  await Promise.all(targets.map((target) => sendWithRetries(() => send(target))));
  return (performance.now() - startedAt) / 1000;
}

/** The naive way: send, and on a 429 (retry-later) wait what it says and send again. */
export async function sendWithRetries(send: () => Promise<SendOutcome>): Promise<SendOutcome> {
  let outcome = await send();
  for (let attempt = 1; attempt < NAIVE_MAX_ATTEMPTS && outcome.status === 'retry-later'; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, outcome.status === 'retry-later' ? outcome.retryAfterMs : 0));
    outcome = await send();
  }
  return outcome;
}

/**
 * Messages per second the platform accepted in the steady part of a run: the arrivals (as the
 * server clocked them) between one window after the first and one window before the last,
 * over that span. The ends are left out because a sliding window lets the first `limit` go at
 * once and a sender may burst or spread the last ones; round trips do not enter.
 */
export function steadyPerSecond(acceptedAt: number[], windowMs: number): number {
  if (acceptedAt.length === 0) return NaN;
  const from = Math.min(...acceptedAt) + windowMs;
  const to = Math.max(...acceptedAt) - windowMs;
  if (to <= from) return NaN;
  return acceptedAt.filter((at) => at >= from && at < to).length / ((to - from) / 1000);
}

/** What one broadcast run did, as the fake server saw it. */
export interface BroadcastRun {
  delivered: number;
  /** Wall time from the first enqueue (or send) to the last answer. */
  seconds: number;
  tooManyRequests: number;
  /** steadyPerSecond of the accepted sends. */
  steady: number;
}

/** The rows of one broadcast (outbox beside the naive sender) at one round trip. */
export function broadcastRows(scenario: string, targets: number, outbox: BroadcastRun, naive: BroadcastRun, limitPerSecond: number): BenchRow[] {
  const row = (metric: string, value: number | string, baseline: number | string, ratio?: number): BenchRow => ({ scenario, metric, value, baseline, ...(ratio === undefined ? {} : { ratio }) });
  return [
    row('delivered', `${outbox.delivered}/${targets}`, `${naive.delivered}/${targets}`),
    row('wall time s, enqueue to last answer', round(outbox.seconds), round(naive.seconds)),
    // ratio: the share of the platform's limit the outbox sustained (issue 12: >= 0.95 at 250 ms).
    row(
      `steady accepted msgs/s, server clock, first and last second left out (ratio = share of ${limitPerSecond}/s)`,
      round(outbox.steady),
      round(naive.steady),
      round(outbox.steady / limitPerSecond),
    ),
    row('429 responses (target 0)', outbox.tooManyRequests, naive.tooManyRequests),
  ];
}
