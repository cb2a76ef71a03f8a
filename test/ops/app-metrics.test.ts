/**
 * /metrics of a real app (real ccxt on the replay, SQLite store) over a real socket: the
 * exposition parses as Prometheus text, and the command, alert and digest counters say
 * exactly what the test did through the dispatcher and the push service the features use.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Adapter, Target } from '../../src/core/adapter.js';
import type { Caller } from '../../src/core/command.js';
import { startOpsServer, type OpsServer } from '../../src/ops/server.js';
import { startReplayApp, type ReplayApp } from '../helpers/replay-app.js';
import { parseExposition, valueOf } from './exposition.js';

let replay: ReplayApp | undefined;
let ops: OpsServer | undefined;
afterEach(async () => {
  await ops?.close();
  await replay?.close();
  ops = replay = undefined;
});

/** A chat platform that accepts every push, so the outbox has a sender for it. */
function acceptingAdapter(platform: 'telegram' | 'discord', sent: Target[]): Adapter {
  return {
    platform,
    start: async () => undefined,
    stop: async () => undefined,
    send: async (target) => {
      sent.push(target);
      return { status: 'sent' };
    },
  };
}

const telegramUser: Caller = { platform: 'telegram', user: { id: '7' }, chat: { id: '7', kind: 'private' }, isAdmin: true };
const discordUser: Caller = { platform: 'discord', user: { id: '8' }, chat: { id: '80', kind: 'group' }, guildId: '12345', isAdmin: true };

describe('/metrics of a running app', () => {
  it('counts commands per platform and command, alerts fired and digests sent', async () => {
    replay = await startReplayApp();
    const { app } = replay;
    const sent: Target[] = [];
    app.connect(acceptingAdapter('telegram', sent));
    app.connect(acceptingAdapter('discord', sent));
    await app.start();
    ops = await startOpsServer({ port: 0, host: '127.0.0.1', metrics: app.metrics });

    expect((await app.dispatcher.handleText('/basis BTC', telegramUser))?.ok).toBe(true);
    expect((await app.dispatcher.handleText('/basis ETH', telegramUser))?.ok).toBe(true);
    expect((await app.dispatcher.handleText('/basis', telegramUser))?.ok).toBe(false); // usage error: no asset
    expect((await app.dispatcher.run('funding', { asset: 'ETH' }, discordUser)).ok).toBe(true);

    const reply = { title: 'pushed', blocks: [] };
    const push = app.services.push!;
    const alertTarget: Target = { platform: 'telegram', chatId: '7', kind: 'private' };
    expect(push.enqueue(alertTarget, reply, { owner: 'alerts', id: 'crossing-1' }).status).toBe('queued');
    // The same crossing again (a restart re-enqueuing what is pending) fires nothing new.
    push.enqueue(alertTarget, reply, { owner: 'alerts', id: 'crossing-1' });
    expect(push.enqueue({ platform: 'discord', chatId: '80' }, reply, { owner: 'digests', id: 'digest-1' }).status).toBe('queued');

    const response = await fetch(`${ops.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseExposition(await response.text());
    const commands = (platform: string, command: string, outcome: string) => valueOf(samples, 'basisbot_commands_total', { platform, command, outcome });
    expect(commands('telegram', 'basis', 'ok')).toBe(2);
    expect(commands('telegram', 'basis', 'error')).toBe(1);
    expect(commands('discord', 'funding', 'ok')).toBe(1);
    expect(commands('discord', 'basis', 'ok')).toBeUndefined();
    expect(valueOf(samples, 'basisbot_alerts_fired_total', { platform: 'telegram' })).toBe(1);
    expect(valueOf(samples, 'basisbot_digests_sent_total', { platform: 'discord' })).toBe(1);
    expect(valueOf(samples, 'basisbot_alerts_fired_total', { platform: 'discord' })).toBeUndefined();
  });
});
