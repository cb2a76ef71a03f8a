/**
 * Alerts end to end: the real app (ccxt on the moving replay, SQLite, the outbox) behind the
 * real telegraf and discord.js, driven by the fake Bot API and the fake Discord. The alert
 * tick is fired by hand (scheduler.runNow) and the clock is the test's, so "nothing arrived"
 * is a fact about a finished tick, not about a wait.
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../src/adapters/discord/adapter.js';
import { TelegramAdapter } from '../../src/adapters/telegram/adapter.js';
import { SCHEDULE_NAME } from '../../src/alerts/index.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-server.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { startReplayApp, type ReplayApp } from '../helpers/replay-app.js';
import { answered } from '../adapters/discord/helpers.js';

const USER = 501;
// The hourly automatic tick stays out of the way; the test fires every tick itself.
const ENV = { ALERT_CHECK_SECONDS: '3600' };

/** A clock the test moves: quotes expire (5 s TTL) and cooldowns pass when it says so. */
function movableClock() {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms: number) => (offset += ms) };
}

async function tick(replay: ReplayApp, clock: ReturnType<typeof movableClock>): Promise<void> {
  clock.advance(10_000);
  await replay.app.scheduler.runNow(SCHEDULE_NAME);
  await replay.app.outbox.whenIdle();
}

/** SOL (dated futures on binance and okx) sits near -13% annualized at the front; these moves put every front where named. */
const SOL = {
  wellAbove: 0.3, // +15% or more: above 0 and past the band
  insideBand: 0.16, // about +1% to +4%: still above 0, not re-armed
  wellBelow: 0, // the snapshot: about -13%, re-armed
};

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function replayWith(clock: ReturnType<typeof movableClock>): Promise<ReplayApp> {
  const replay = await startReplayApp({ env: ENV, server: { clock: clock.now } });
  cleanups.push(() => replay.close());
  return replay;
}

describe('alerts over Telegram', () => {
  async function setUp() {
    const clock = movableClock();
    const replay = await replayWith(clock);
    const telegram: FakeTelegram = await startFakeTelegram();
    cleanups.push(() => telegram.close());
    const adapter = new TelegramAdapter({ token: telegram.token, apiRoot: telegram.apiRoot, dispatcher: replay.app.dispatcher, log: pino({ level: 'silent' }), pacer: replay.app.outbox });
    replay.app.connect(adapter);
    await replay.app.start();
    const dm = () => telegram.sent.filter((message) => String(message.chatId) === String(USER));
    return { clock, replay, telegram, dm };
  }

  it('fires once per crossing: not inside the band, again only after the band and the cooldown', async () => {
    const { clock, replay, telegram, dm } = await setUp();
    telegram.pushMessage(USER, '/alert add SOL apr above 0% cooldown=1m');
    const added = await telegram.waitFor(() => dm().find((message) => /SOL/.test(message.text ?? '')), 20_000);
    expect(added.text).toMatch(/annualized basis/);
    expect(added.text).not.toMatch(/already/i);
    const afterAdd = dm().length;

    await tick(replay, clock);
    expect(dm().length).toBe(afterAdd);

    replay.server.shift({ asset: 'SOL', apr: SOL.wellAbove });
    await tick(replay, clock);
    const fired = dm().slice(afterAdd);
    expect(fired).toHaveLength(1);
    for (const venue of ['binance', 'okx']) expect(fired[0].text).toContain(venue);
    expect(fired[0].replyMarkup?.inline_keyboard.flat().map((button) => button.text)).toEqual(['Pause', 'Remove']);

    for (const apr of [SOL.insideBand, SOL.wellAbove, SOL.insideBand]) {
      replay.server.shift({ asset: 'SOL', apr });
      await tick(replay, clock);
    }
    expect(dm().length).toBe(afterAdd + 1);

    replay.server.shift({ asset: 'SOL', apr: SOL.wellBelow });
    await tick(replay, clock);
    clock.advance(61_000);
    replay.server.shift({ asset: 'SOL', apr: SOL.wellAbove });
    await tick(replay, clock);
    expect(dm().length).toBe(afterAdd + 2);
  });

  it('keeps rules private: another user can neither list nor remove them', async () => {
    const { telegram, dm } = await setUp();
    telegram.pushMessage(USER, '/alert add BTC funding above 30% binance');
    await telegram.waitFor(() => dm().find((message) => /BTC/.test(message.text ?? '')), 20_000);
    const other = 777;
    const toOther = () => telegram.sent.filter((message) => String(message.chatId) === String(other));
    telegram.pushMessage(other, '/alert list', { fromId: other });
    const listed = await telegram.waitFor(() => toOther()[0], 20_000);
    expect(listed.text).not.toContain('BTC');
    telegram.pushMessage(other, '/alert remove 1', { fromId: other });
    const refused = await telegram.waitFor(() => toOther()[1], 20_000);
    expect(refused.text).toMatch(/no such alert/i);
    telegram.pushMessage(USER, '/alert list');
    const mine = await telegram.waitFor(() => dm().find((message) => /funding/.test(message.text ?? '') && message !== dm()[0]), 20_000);
    expect(mine.text).toContain('BTC');
  });

  it('refuses `here` in a group from a member who is not an admin', async () => {
    const { telegram } = await setUp();
    const group = -4242;
    telegram.setChatAdmins(group, { creator: 1 });
    telegram.pushMessage(group, '/alert add ETH state here', { fromId: USER, chatType: 'supergroup' });
    const reply = await telegram.waitFor(() => telegram.sent.find((message) => String(message.chatId) === String(group)), 20_000);
    expect(reply.text).toMatch(/admin/i);
  });
});

describe('alerts over Discord', () => {
  it('sends the crossing once, by DM, with Pause and Remove buttons', async () => {
    const clock = movableClock();
    const replay = await replayWith(clock);
    const discord: FakeDiscord = await startFakeDiscord();
    cleanups.push(() => discord.close());
    const adapter = new DiscordAdapter({ token: discord.token, guildId: discord.guildId, apiBase: discord.apiBase, dispatcher: replay.app.dispatcher, log: pino({ level: 'silent' }) });
    replay.app.connect(adapter);
    await replay.app.start();

    const interaction = discord.command('alert', { asset: 'SOL', metric: 'apr', direction: 'above', value: '0' }, { subcommand: 'add' });
    await answered(discord, interaction);
    const dms = () => [...discord.messages.values()].filter((message) => message.channel_id !== discord.channelId);
    await tick(replay, clock);
    expect(dms()).toHaveLength(0);

    replay.server.shift({ asset: 'SOL', apr: SOL.wellAbove });
    await tick(replay, clock);
    await tick(replay, clock);
    expect(dms()).toHaveLength(1);
    const buttons = dms()[0].components.flatMap((row: { components: { label: string }[] }) => row.components.map((button) => button.label));
    expect(buttons).toEqual(['Pause', 'Remove']);
  });
});
