/**
 * Two in-process replicas of the real app on one Redis and one replay server, sharing a
 * clock the test moves (the lease, the quote cache and the replay all read it). Each replica
 * sends through a recording adapter that can be hung (a holder killed mid-send). The lease
 * is renewed only when the test steps it, so takeovers happen exactly where the test says.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../../src/app.js';
import type { AlertsFeature } from '../../src/alerts/index.js';
import { loadConfig } from '../../src/config.js';
import type { SendOutcome, Target } from '../../src/core/adapter.js';
import type { Caller } from '../../src/core/command.js';
import type { Reply } from '../../src/core/reply.js';
import type { DigestService } from '../../src/digests/index.js';
import { startReplayServer, type ReplayServer } from '../../src/market/replay/server.js';
import { movableClock, type MovableClock } from '../helpers/movable-clock.js';

export const TTL = 15_000;
/** Past the quote TTL and any serve-stale grace: the next read of the market is a fresh fetch. */
export const FRESH_QUOTES_MS = 60_000;

export interface Delivery {
  replica: string;
  target: Target;
  text: string;
}

export interface Replica {
  name: string;
  app: App;
  alerts(): AlertsFeature;
  digests(): DigestService;
  /** Sends never answer from now on: the process died with a message on the wire. */
  hang(): void;
  /** A command as a user types it; the reply text (title and text blocks). */
  say(line: string, caller: Caller): Promise<{ ok: boolean; text: string; data: unknown }>;
}

export interface ReplicaPair {
  clock: MovableClock;
  server: ReplayServer;
  delivered: Delivery[];
  replica(name: string): Promise<Replica>;
  /** Replicas `a` then `b`, started in that order: `a` holds the lease, `b` does not. */
  startTwo(): Promise<{ a: Replica; b: Replica }>;
  /** Moves the clock a quarter TTL at a time, renewing every live replica's lease at each step. */
  advance(ms: number): Promise<void>;
  /** Steps `b`'s lease a quarter TTL at a time until it leads; the time that took. */
  takeOver(b: Replica): Promise<number>;
  close(): Promise<void>;
}

export const telegramUser = (id: string): Caller => ({ user: { id }, chat: { id, kind: 'private' }, platform: 'telegram', isAdmin: true });

const replyText = (reply: Reply): string =>
  [
    reply.title ?? '',
    ...reply.blocks.map((b) => (b.kind === 'text' || b.kind === 'note' ? b.text : b.kind === 'fields' ? b.fields.map((f) => `${f.label}: ${f.value}`).join('\n') : b.kind === 'table' ? b.rows.map((r) => r.join(' | ')).join('\n') : '')),
  ]
    .filter(Boolean)
    .join('\n');

export async function replicaPair(redisUrl: string, start = Date.parse('2026-11-25T12:00:00Z')): Promise<ReplicaPair> {
  const clock = movableClock(start);
  const server = await startReplayServer({ clock: clock.now });
  const prefix = `replicas-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}:`;
  const delivered: Delivery[] = [];
  const apps: App[] = [];
  const dirs: string[] = [];
  const pair: ReplicaPair = {
    clock,
    server,
    delivered,
    async replica(name) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-replica-'));
      dirs.push(dataDir);
      const config = loadConfig({
        DATA_DIR: dataDir,
        STORE_URL: redisUrl,
        VENUE_BASE_URL: server.url,
        LOG_LEVEL: 'silent',
        LEASE_TTL_MS: String(TTL),
        // The test fires every tick itself.
        ALERT_CHECK_SECONDS: '3600',
      });
      const app = await createApp(config, { now: clock.now, log: pino({ level: 'silent' }), replicaId: name, storePrefix: prefix, leaseTimer: false, marketsCacheTag: 'replay' });
      apps.push(app);
      let hung = false;
      app.connect({
        platform: 'telegram',
        start: async () => undefined,
        stop: async () => undefined,
        send: (target: Target, reply: Reply): Promise<SendOutcome> => {
          if (hung) return new Promise(() => undefined);
          delivered.push({ replica: name, target, text: replyText(reply) });
          return Promise.resolve({ status: 'sent' });
        },
      });
      return {
        name,
        app,
        // The holder's features are rebuilt at each term: always look them up in services.
        alerts: () => app.services.alerts as unknown as AlertsFeature,
        digests: () => app.services.digests as unknown as DigestService,
        hang: () => void (hung = true),
        async say(line, caller) {
          const result = await app.dispatcher.handleText(line, caller);
          if (!result) throw new Error(`not a command: ${line}`);
          return { ok: result.ok, text: replyText(result.reply), data: result.data };
        },
      };
    },
    async startTwo() {
      const a = await pair.replica('a');
      const b = await pair.replica('b');
      await a.app.start();
      await b.app.start();
      if (!a.app.lease?.leading || b.app.lease?.leading) throw new Error('expected a to hold the lease and b not to');
      return { a, b };
    },
    async advance(ms) {
      for (let moved = 0; moved < ms; moved += TTL / 4) {
        clock.set(clock.now() + Math.min(TTL / 4, ms - moved));
        // An abandoned keeper (a killed replica) ignores its step.
        for (const app of apps) await app.lease?.step();
      }
    },
    async takeOver(b) {
      let waited = 0;
      while (!b.app.lease!.leading) {
        clock.set(clock.now() + TTL / 4);
        waited += TTL / 4;
        await b.app.lease!.step();
        if (waited > 4 * TTL) throw new Error(`${b.name} never took the lease`);
      }
      return waited;
    },
    async close() {
      await Promise.all(apps.map((app) => app.close()));
      await server.close();
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return pair;
}
