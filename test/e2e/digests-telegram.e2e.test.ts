/**
 * Digests end to end over Telegram: the real app (ccxt on the replay, SQLite, the outbox,
 * node-cron's minute tick) behind real telegraf, against the fake Bot API. The clock is the
 * test's (see movable-clock.ts): it is set to 07:59:10, the digest is set for 08:00, then the
 * clock jumps and the minute tick is fired by hand (scheduler.runNow, the same work node-cron
 * runs), so "nothing arrived" is a fact about a finished tick and a drained outbox, not a wait.
 */
import fs from 'node:fs';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { TelegramAdapter } from '../../src/adapters/telegram/adapter.js';
import { DIGEST_JOB } from '../../src/digests/service.js';
import { startReplayServer, type ReplayServer } from '../../src/market/replay/server.js';
import { startFakeTelegram, type FakeMessage, type FakeTelegram } from '../fakes/telegram-api.js';
import { movableClock, type MovableClock } from '../helpers/movable-clock.js';
import { startReplayApp, tempDataDir, type ReplayApp } from '../helpers/replay-app.js';

const USER = 601;
const GROUP = -100601;
const DAY = 86_400_000;
const MINUTE = 60_000;
/** Wednesday 2 December 2026, 08:00 UTC: the slot every test aims at. */
const SLOT = Date.parse('2026-12-02T08:00:00Z');
const ENV = { DIGEST_GRACE_MINUTES: '120', DIGEST_TZ: 'UTC' };

interface World {
  clock: MovableClock;
  server: ReplayServer;
  dataDir: string;
  telegram: FakeTelegram;
}

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What outlives a bot process: the clock, the venues (replay), the data dir and Telegram. */
async function world(): Promise<World> {
  const clock = movableClock(SLOT - 50_000); // 07:59:10: 08:00 is the next minute
  const server = await startReplayServer({ clock: clock.now });
  const dataDir = tempDataDir();
  const telegram = await startFakeTelegram();
  cleanups.push(() => server.close(), () => fs.rmSync(dataDir, { recursive: true, force: true }), () => telegram.close());
  return { clock, server, dataDir, telegram };
}

/** One bot process on the world's data dir; `stop()` is a clean shutdown (it also runs at cleanup). */
async function startBot(w: World): Promise<{ replay: ReplayApp; stop: () => Promise<void> }> {
  const replay = await startReplayApp({ existingServer: w.server, dataDir: w.dataDir, server: { clock: w.clock.now }, env: ENV });
  const adapter = new TelegramAdapter({ token: w.telegram.token, apiRoot: w.telegram.apiRoot, dispatcher: replay.app.dispatcher, log: pino({ level: 'silent' }), pacer: replay.app.outbox });
  replay.app.connect(adapter);
  await replay.app.start();
  let closing: Promise<void> | undefined;
  const stop = () => (closing ??= replay.close());
  cleanups.push(stop);
  return { replay, stop };
}

/** The minute tick at `at`, fired by hand, and everything it queued delivered (or given up on). */
async function tickAt(w: World, replay: ReplayApp, at: number): Promise<void> {
  w.clock.set(at);
  await replay.app.scheduler.runNow(DIGEST_JOB);
  await replay.app.outbox.whenIdle();
}

const toChat = (w: World, chat: number) => w.telegram.sent.filter((message) => message.chatId === String(chat));
/** Scheduled digests (and /digest now answers) sent to a chat: the chart with the title in its caption. */
const digestsTo = (w: World, chat: number) => toChat(w, chat).filter((message) => message.method === 'sendPhoto' && /Basis digest/.test(message.visibleText));

/** Sends a command as a user and resolves with the bot's first message to that chat after it. */
async function say(w: World, chat: number, text: string, from: { fromId?: number; chatType?: 'supergroup' } = {}): Promise<FakeMessage> {
  const seen = toChat(w, chat).length;
  w.telegram.pushMessage(chat, text, from);
  return w.telegram.waitFor(() => toChat(w, chat)[seen], 20_000);
}

describe('digests over Telegram', () => {
  it('a digest set for the next minute arrives exactly once, with its chart; /digest off stops it', async () => {
    const w = await world();
    const { replay } = await startBot(w);
    const set = await say(w, USER, '/digest set 08:00 UTC BTC SOL');
    expect(set.visibleText).toMatch(/Every day at 08:00 in UTC: BTC, SOL\./);
    expect(set.visibleText).toMatch(/Next digest: Wed, 2 Dec 2026, 08:00 UTC/);

    // Ticks before the slot, at it, later in the same minute and in the next: one digest.
    for (const at of [SLOT - 5_000, SLOT + 2_000, SLOT + 40_000, SLOT + MINUTE + 1_000]) await tickAt(w, replay, at);
    const digests = digestsTo(w, USER);
    expect(digests).toHaveLength(1);
    const [digest] = digests;
    expect(digest.photo!.bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(digest.photo!.bytes.length).toBeGreaterThan(5_000);
    expect(digest.visibleText).toMatch(/Basis digest, Wednesday, 2 December 2026/);
    // The rest of the digest follows the photo as text messages, all within Telegram's limits (the fake refuses more).
    const all = toChat(w, USER).slice(toChat(w, USER).indexOf(digest)).map((message) => message.visibleText).join('\n');
    expect(all).toMatch(/BTC: contango/);
    expect(all).toMatch(/SOL: backwardation/);
    expect(all).not.toMatch(/Late:/);
    expect(w.telegram.calls.filter((call) => call.method === 'sendPhoto').every((call) => call.status === 200)).toBe(true);

    const off = await say(w, USER, '/digest off');
    expect(off.visibleText).toMatch(/Digest turned off for this chat/);
    for (const at of [SLOT + DAY - 5_000, SLOT + DAY + 2_000, SLOT + 2 * DAY + 2_000]) await tickAt(w, replay, at);
    expect(digestsTo(w, USER)).toHaveLength(1);
    expect((await say(w, USER, '/digest show')).visibleText).toMatch(/No digest is scheduled for this chat/);
  });

  it('in a group, a member who is not an admin is refused and nothing is saved; an admin sets it; anyone gets /digest now', async () => {
    const w = await world();
    const { replay } = await startBot(w);
    const admin = 7001;
    w.telegram.setChatAdmins(GROUP, { creator: admin });
    const member = { fromId: USER, chatType: 'supergroup' as const };

    const refused = await say(w, GROUP, '/digest set 08:00 UTC BTC', member);
    expect(refused.visibleText).toMatch(/Only an admin of this chat can change its digest/);
    expect(w.telegram.calls.some((call) => call.method === 'getChatMember' && String(call.params.user_id) === String(USER))).toBe(true);
    expect((await say(w, GROUP, '/digest off', member)).visibleText).toMatch(/Only an admin/);
    expect((await say(w, GROUP, '/digest show', member)).visibleText).toMatch(/No digest is scheduled/);
    await tickAt(w, replay, SLOT + 2_000);
    expect(digestsTo(w, GROUP)).toHaveLength(0);

    const now = await say(w, GROUP, '/digest now', member);
    expect(now.method).toBe('sendPhoto');
    expect(now.visibleText).toMatch(/Basis digest, Wednesday, 2 December 2026/);
    // The text past the caption follows; its last line is the legend.
    await w.telegram.waitFor(() => toChat(w, GROUP).some((message) => /Details: \/basis/.test(message.visibleText)), 20_000);

    const set = await say(w, GROUP, '/digest set 09:00 Europe/Berlin ETH', { fromId: admin, chatType: 'supergroup' });
    expect(set.visibleText).toMatch(/Every day at 09:00 in Europe\/Berlin: ETH\./);
    expect(set.visibleText).toMatch(/Next digest: Thu, 3 Dec 2026, 09:00 CET \(08:00 UTC\)/);
  });

  it('bad input names what is wrong and what is valid, and saves nothing', async () => {
    const w = await world();
    await startBot(w);
    expect((await say(w, USER, '/digest set 25:00')).visibleText).toMatch(/"25:00" is not a time of day[\s\S]*HH:MM on a 24-hour clock \(00:00 to 23:59\)/);
    expect((await say(w, USER, '/digest set 08:00 Europe/Berlim')).visibleText).toMatch(/Unknown time zone "Europe\/Berlim"[\s\S]*Did you mean Europe\/Berlin/);
    expect((await say(w, USER, '/digest set cron:"*/15 * * * *"')).visibleText).toMatch(/more often than hourly[\s\S]*cron:"0 8 \* \* \*"/);
    expect((await say(w, USER, '/digest set 08:00 UTC BTX')).visibleText).toMatch(/Unknown asset BTX[\s\S]*Did you mean BTC/);
    expect((await say(w, USER, '/digest show')).visibleText).toMatch(/No digest is scheduled/);
  });

  it('after a restart within the grace window a missed slot is sent once, late, and never twice; outside it, skipped', async () => {
    const w = await world();
    const first = await startBot(w);
    await say(w, USER, '/digest set 08:00 UTC BTC');
    await first.stop();

    // Down from 07:59 to 09:30: the 08:00 slot is 90 minutes late, inside the 120-minute grace.
    w.clock.set(SLOT + 90 * MINUTE);
    const second = await startBot(w);
    await tickAt(w, second.replay, SLOT + 90 * MINUTE + 1_000); // runs after the start-up catch-up, which it queues behind
    expect(digestsTo(w, USER)).toHaveLength(1);
    const late = digestsTo(w, USER)[0];
    expect(late.visibleText).toMatch(/Late: this digest was due at Wed, 2 Dec 2026, 08:00 UTC, while the bot was down/);
    await tickAt(w, second.replay, SLOT + 91 * MINUTE);
    await second.stop();

    // A second restart finds the slot recorded: it is not sent again.
    w.clock.set(SLOT + 92 * MINUTE);
    const third = await startBot(w);
    await tickAt(w, third.replay, SLOT + 93 * MINUTE);
    expect(digestsTo(w, USER)).toHaveLength(1);
    await third.stop();

    // Down until 10:01 the next day: 3 Dec's slot is 121 minutes late, past the grace. Skipped; 4 Dec's goes out on time.
    w.clock.set(SLOT + DAY + 121 * MINUTE);
    const fourth = await startBot(w);
    await tickAt(w, fourth.replay, SLOT + DAY + 122 * MINUTE);
    expect(digestsTo(w, USER)).toHaveLength(1);
    expect((await say(w, USER, '/digest show')).visibleText).toMatch(/Next digest: Fri, 4 Dec 2026, 08:00 UTC/);
    await tickAt(w, fourth.replay, SLOT + 2 * DAY + 1_000);
    expect(digestsTo(w, USER)).toHaveLength(2);
    expect(digestsTo(w, USER)[1].visibleText).toMatch(/Basis digest, Friday, 4 December 2026/);
    expect(digestsTo(w, USER)[1].visibleText).not.toMatch(/Late:/);
  });

  it('a group that removed the bot (403) has its digest paused, not retried; /digest show says so and set resumes it', async () => {
    const w = await world();
    const { replay } = await startBot(w);
    const admin = 7002;
    w.telegram.setChatAdmins(GROUP, { creator: admin });
    const asAdmin = { fromId: admin, chatType: 'supergroup' as const };
    await say(w, GROUP, '/digest set 08:00 UTC BTC', asAdmin);

    w.telegram.setChatState(GROUP, 'kicked');
    const photoCalls = () => w.telegram.calls.filter((call) => call.method === 'sendPhoto' && String(call.params.chat_id) === String(GROUP));
    await tickAt(w, replay, SLOT + 2_000);
    expect(photoCalls().map((call) => call.status)).toEqual([403]);
    await expect.poll(async () => (await replay.app.services.digests!.show({ platform: 'telegram', chatId: String(GROUP), kind: 'group' }))?.paused).toBeDefined();

    // Tomorrow's slot is not even tried while the chat stays gone.
    await tickAt(w, replay, SLOT + DAY + 2_000);
    expect(photoCalls()).toHaveLength(1);

    // The bot is added back: anyone can see the pause, an admin's set resumes it.
    w.telegram.setChatState(GROUP, 'ok');
    const show = await say(w, GROUP, '/digest show', { fromId: USER, chatType: 'supergroup' });
    expect(show.visibleText).toMatch(/Paused: this chat stopped accepting messages \(.*kicked.*\)[\s\S]*\/digest set resumes it/);
    const resumed = await say(w, GROUP, '/digest set 08:00 UTC BTC', asAdmin);
    expect(resumed.visibleText).toMatch(/Resumed/);
    await tickAt(w, replay, SLOT + 2 * DAY + 2_000);
    expect(digestsTo(w, GROUP)).toHaveLength(1);
    expect(photoCalls().map((call) => call.status)).toEqual([403, 200]);
  });
});
