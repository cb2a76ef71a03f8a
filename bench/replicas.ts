/**
 * Two replicas on one Redis against one replica: alert evaluation and digest fan-out through
 * the real app (real ccxt on the replay, real Redis store, the lease), measured on the
 * replica holding the lease. The work is the same in both set-ups (rules added and schedules
 * set between ticks); with two replicas all of it arrives through the other replica, so the
 * holder learns of it from the store's change feed instead of its own memory. The naive way
 * to see other replicas' rules, re-reading every rule before each tick, is measured beside it.
 *
 * Round trips are counted by the Redis server itself (INFO commandstats, every command by any
 * client) on a private redis-server started for the run on a free port of 127.0.0.1, so other
 * jobs sharing the machine's Redis do not count. Without redis-server the rows say so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient } from '@keyv/redis';
import pino from 'pino';
import { createApp, type App } from '../src/app.js';
import type { AlertsFeature } from '../src/alerts/index.js';
import { AlertRepository } from '../src/alerts/repository.js';
import type { AlertRecord } from '../src/alerts/types.js';
import { loadConfig } from '../src/config.js';
import type { Target } from '../src/core/adapter.js';
import type { DigestService } from '../src/digests/index.js';
import { startReplayServer, type ReplayServer } from '../src/market/replay/server.js';
import { median, ratio, round, type BenchRow } from './stats.js';

const RULES = 10_000;
const TICKS = 20;
/** Rules added between two ticks (commands answered meanwhile). */
const ADDS_PER_TICK = 10;
const CHATS = 1_000;
const ASSETS = ['BTC', 'ETH', 'SOL'];
const START = Date.parse('2026-11-25T12:00:20Z');
const SLOT_DUE = Date.parse('2026-11-25T12:01:05Z');
const TTL = 15_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A throw-away redis-server for this run only, so its command counts are ours alone. */
async function privateRedis(): Promise<{ url: string; commands: () => Promise<number>; stop: () => Promise<void> } | undefined> {
  const port = await freePort();
  let child: ChildProcess;
  try {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(false));
    child.once('spawn', () => resolve(true));
  });
  if (!spawned) return undefined;
  const url = `redis://127.0.0.1:${port}`;
  const client = createClient({ url });
  for (let attempt = 0; ; attempt += 1) {
    try {
      await client.connect();
      break;
    } catch (error) {
      if (attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    // Every command the server ran so far, minus the INFO calls this counter made itself.
    commands: async () => {
      const info = await client.info('commandstats');
      let calls = 0;
      for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (match[1] !== 'info') calls += Number(match[2]);
      return calls;
    },
    stop: async () => {
      client.destroy();
      child.kill('SIGTERM');
    },
  };
}

interface SetUp {
  holder: App;
  /** Where the commands go: the holder itself with one replica, the other replica with two (the holder learns everything from the store). */
  others: App[];
  now: { value: number };
  close(): Promise<void>;
}

async function setUp(server: ReplayServer, url: string, replicas: 1 | 2, now: { value: number }): Promise<SetUp> {
  const prefix = `bench-replicas-${replicas}-${Date.now()}:`;
  const apps: App[] = [];
  const dirs: string[] = [];
  for (let i = 0; i < replicas; i += 1) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-bench-replica-'));
    dirs.push(dataDir);
    const config = loadConfig({ DATA_DIR: dataDir, STORE_URL: url, VENUE_BASE_URL: server.url, LOG_LEVEL: 'silent', LEASE_TTL_MS: String(TTL), ALERT_CHECK_SECONDS: '3600', ALERTS_PER_USER: '1000', OUTBOX_STOP_TIMEOUT_MS: '100' });
    const app = await createApp(config, { now: () => now.value, log: pino({ level: 'silent' }), replicaId: `r${i}`, storePrefix: prefix, leaseTimer: false, marketsCacheTag: 'replay' });
    // Sends never finish: the bench measures queueing, and the outbox's pacing is the broadcast bench.
    app.connect({ platform: 'telegram', start: async () => undefined, stop: async () => undefined, send: () => new Promise(() => undefined) });
    await app.start();
    apps.push(app);
  }
  return {
    holder: apps[0],
    others: replicas === 2 ? [apps[1]] : [apps[0]],
    now,
    close: async () => {
      for (const app of apps) app.skipDrain();
      await Promise.all(apps.map((app) => app.close()));
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const alertsOf = (app: App) => app.services.alerts as unknown as AlertsFeature;
const digestsOf = (app: App) => app.services.digests as unknown as DigestService;
const caller = (id: string) => ({ user: { id }, chat: { id, kind: 'private' as const }, platform: 'telegram' as const, isAdmin: true });

/** Rules written straight to the store (set-up, not the measured work), spread over assets and thresholds. */
async function seedRules(app: App, count: number): Promise<void> {
  const repo = new AlertRepository(app.stores);
  const batch: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = await repo.allocateId();
    const rule: AlertRecord = {
      id,
      owner: { platform: 'telegram', userId: `seed${i % 500}` },
      target: { platform: 'telegram', chatId: `seed${i % 500}`, kind: 'private' },
      spec: { asset: ASSETS[i % ASSETS.length], metric: 'apr', direction: 'above', threshold: ((i % 200) - 100) / 100, tenor: 'front', cooldownMs: 3_600_000, band: 0.01, here: false },
      createdAt: START,
      status: 'active',
      tracks: {},
      seq: 0,
      pending: [],
    };
    batch.push(repo.insert(rule));
    if (batch.length >= 64) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
}

async function alertTicks(set: SetUp, count: () => Promise<number>): Promise<{ rulesPerSecond: number; commandsPerTick: number; reloadCommands: number }> {
  await seedRules(set.holder, RULES);
  await alertsOf(set.holder).tick(); // learns the seeded rules and their first sides: warm-up
  const times: number[] = [];
  let commands = 0;
  for (let t = 0; t < TICKS; t += 1) {
    for (let i = 0; i < ADDS_PER_TICK; i += 1) {
      const app = set.others[i % set.others.length];
      const added = await alertsOf(app).add(caller(`u${t}-${i}`), { asset: 'BTC', metric: 'funding', direction: 'above', threshold: 0.3 + i / 100, tenor: 'perp', cooldownMs: 3_600_000, band: 0.01, here: false });
      if (!added.ok) throw new Error(`bench add refused: ${added.error.message}`);
    }
    const before = await count();
    const started = performance.now();
    await alertsOf(set.holder).tick();
    times.push(performance.now() - started);
    commands += (await count()) - before;
  }
  const rules = alertsOf(set.holder).rules().length;
  // The naive way to see every replica's rules: load them all again before a tick.
  const before = await count();
  await new AlertRepository(set.holder.stores).load();
  // The median tick: a tick takes milliseconds, and other jobs on shared cores skew a sum.
  return { rulesPerSecond: rules / (median(times) / 1000), commandsPerTick: commands / TICKS, reloadCommands: (await count()) - before };
}

async function digestSlot(set: SetUp, count: () => Promise<number>, step: () => Promise<void>): Promise<{ chatsPerSecond: number; commands: number; queued: number }> {
  for (let i = 0; i < CHATS; i += 1) {
    const target: Target = { platform: 'telegram', chatId: `chat${i}`, kind: 'private' };
    const outcome = await digestsOf(set.others[i % set.others.length]).set(target, '12:01 UTC BTC ETH', 'bench');
    if (!outcome.ok) throw new Error(`bench digest set refused: ${outcome.error}`);
  }
  await step();
  const before = await count();
  const started = performance.now();
  const report = await digestsOf(set.holder).runDue(set.now.value);
  await set.holder.outbox.flush();
  const elapsed = performance.now() - started;
  return { chatsPerSecond: report.queued / (elapsed / 1000), commands: (await count()) - before, queued: report.queued };
}

async function measure(server: ReplayServer, redis: NonNullable<Awaited<ReturnType<typeof privateRedis>>>, replicas: 1 | 2) {
  const now = { value: START };
  const set = await setUp(server, redis.url, replicas, now);
  try {
    const alerts = await alertTicks(set, redis.commands);
    // To the slot, renewing the leases on the way as their timers would.
    const step = async () => {
      while (now.value < SLOT_DUE) {
        now.value = Math.min(SLOT_DUE, now.value + TTL / 4);
        for (const app of [set.holder, ...set.others]) await app.lease?.step();
      }
    };
    const digests = await digestSlot(set, redis.commands, step);
    return { alerts, digests };
  } finally {
    await set.close();
  }
}

export async function benchReplicas(): Promise<BenchRow[]> {
  const redis = await privateRedis();
  if (!redis) return [{ scenario: 'replicas on one Redis', metric: 'skipped', value: 'redis-server is not installed' }];
  const server = await startReplayServer({ clock: () => START });
  try {
    const one = await measure(server, redis, 1);
    const two = await measure(server, redis, 2);
    const scenario = 'replicas: 2 vs 1 on one Redis';
    return [
      { scenario, metric: `alert tick, rules evaluated/s (median of ${TICKS} ticks, ${RULES} rules, ${ADDS_PER_TICK} added between ticks)`, value: round(two.alerts.rulesPerSecond, 0), baseline: round(one.alerts.rulesPerSecond, 0), ratio: ratio(two.alerts.rulesPerSecond, one.alerts.rulesPerSecond) },
      { scenario, metric: 'Redis commands per alert tick (holder)', value: round(two.alerts.commandsPerTick, 1), baseline: round(one.alerts.commandsPerTick, 1), ratio: ratio(two.alerts.commandsPerTick, one.alerts.commandsPerTick) },
      { scenario: 'replicas: change feed vs re-reading every rule', metric: `Redis commands per tick to see the other replica's changes (${RULES + TICKS * ADDS_PER_TICK} rules)`, value: round(two.alerts.commandsPerTick, 1), baseline: two.alerts.reloadCommands, ratio: ratio(two.alerts.commandsPerTick, two.alerts.reloadCommands) },
      { scenario, metric: `digest slot, chats queued/s (${CHATS} chats due)`, value: round(two.digests.chatsPerSecond, 0), baseline: round(one.digests.chatsPerSecond, 0), ratio: ratio(two.digests.chatsPerSecond, one.digests.chatsPerSecond) },
      { scenario, metric: `Redis commands per digest slot (${two.digests.queued} queued)`, value: two.digests.commands, baseline: one.digests.commands, ratio: ratio(two.digests.commands, one.digests.commands) },
    ];
  } finally {
    await server.close();
    await redis.stop();
  }
}

// `npx tsx bench/replicas.ts`: this scenario alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  benchReplicas()
    .then((rows) => {
      for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}
