/**
 * The alerts feature on the real app over the replay (real ccxt, real SQLite store), with an
 * in-memory push service and a clock the test moves. The cron job is registered for real, then
 * cancelled so the test drives each tick itself (no tick can race a market move).
 */
import pino from 'pino';
import { COMMANDS } from '../../commands/index.js';
import { createAlerts, SCHEDULE_NAME, type AlertsFeature } from '../../src/alerts/index.js';
import type { Caller } from '../../src/core/command.js';
import { Dispatcher } from '../../src/core/dispatch.js';
import type { ReplayServer } from '../../src/market/replay/server.js';
import { Scheduler } from '../../src/schedule/scheduler.js';
import { startReplayApp, type ReplayApp } from '../helpers/replay-app.js';
import { memoryPush } from './memory-push.js';

export const START = Date.parse('2026-12-01T12:00:00Z');

export function testClock(start = START) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

export const telegramUser = (id: string, chat: { id: string; kind: 'private' | 'group' } = { id, kind: 'private' }, isAdmin = chat.kind === 'private'): Caller => ({
  user: { id },
  chat,
  platform: 'telegram',
  isAdmin,
});

export interface AlertsHarness {
  replay: ReplayApp;
  feature: AlertsFeature;
  push: ReturnType<typeof memoryPush>;
  scheduler: Scheduler;
  dispatcher: Dispatcher;
  say(line: string, caller: Caller): Promise<{ ok: boolean; text: string; data: unknown; actions: string[] }>;
  close(): Promise<void>;
}

export async function startAlerts(options: { clock: ReturnType<typeof testClock>; dataDir?: string; server?: ReplayServer; push?: ReturnType<typeof memoryPush> }): Promise<AlertsHarness> {
  const replay = await startReplayApp({ server: { clock: options.clock.now }, dataDir: options.dataDir, existingServer: options.server, env: { ALERTS_PER_USER: '3' } });
  const log = pino({ level: 'silent' });
  const scheduler = new Scheduler(log);
  let feature: AlertsFeature | undefined;
  const push = options.push ?? memoryPush(() => feature?.owner);
  feature = createAlerts({
    stores: replay.app.stores,
    market: replay.app.market,
    push: push.service,
    scheduler,
    renderCurveChart: replay.app.services.renderCurveChart,
    config: replay.app.config,
    now: options.clock.now,
    log,
  });
  // The flood limit is another subject: these tests send many commands within one clock second.
  const dispatcher = new Dispatcher(COMMANDS, { services: { ...replay.app.services, push: push.service, alerts: feature }, now: options.clock.now }, log, { flood: false });
  await feature.start();
  if (!scheduler.has(SCHEDULE_NAME)) throw new Error('alerts did not schedule its tick');
  scheduler.cancel(SCHEDULE_NAME);
  const started = feature;
  return {
    replay,
    feature: started,
    push,
    scheduler,
    dispatcher,
    async say(line, caller) {
      const result = await dispatcher.handleText(line, caller);
      if (!result) throw new Error(`not a command: ${line}`);
      const text = [result.reply.title ?? '', ...result.reply.blocks.map((b) => (b.kind === 'text' || b.kind === 'note' ? b.text : b.kind === 'fields' ? b.fields.map((f) => `${f.label}: ${f.value}`).join('\n') : b.kind === 'table' ? b.rows.map((r) => r.join(' | ')).join('\n') : ''))].join('\n');
      return { ok: result.ok, text, data: result.data, actions: (result.reply.actions ?? []).map((a) => a.id) };
    },
    async close() {
      await started.stop();
      await scheduler.stop();
      await replay.close();
    },
  };
}
