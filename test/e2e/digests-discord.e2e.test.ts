/**
 * Digests end to end over Discord: the real app on the replay behind real discord.js, against
 * the fake gateway and REST (which refuses payloads past Discord's embed limits). Slash
 * commands come in as interactions; the digest goes out as a channel message through the
 * outbox. The clock is the test's and the minute tick is fired by hand, as in the Telegram test.
 */
import { PermissionFlagsBits } from 'discord.js';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../src/adapters/discord/adapter.js';
import { DIGEST_JOB } from '../../src/digests/service.js';
import { startFakeDiscord, type FakeDiscord, type FakeInteraction } from '../fakes/discord-server.js';
import { movableClock, type MovableClock } from '../helpers/movable-clock.js';
import { startReplayApp, type ReplayApp } from '../helpers/replay-app.js';
import { answered, webhookAnswers } from '../adapters/discord/helpers.js';

const SLOT = Date.parse('2026-12-02T08:00:00Z');
const DAY = 86_400_000;
const MANAGER = { user: { id: '510000000000000001' }, permissions: String(PermissionFlagsBits.ManageChannels) };
const MEMBER = { user: { id: '510000000000000002' }, permissions: String(PermissionFlagsBits.SendMessages) };

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(): Promise<{ clock: MovableClock; replay: ReplayApp; discord: FakeDiscord }> {
  const clock = movableClock(SLOT - 50_000); // 07:59:10: 08:00 is the next minute
  const replay = await startReplayApp({ server: { clock: clock.now }, env: { DIGEST_TZ: 'UTC' } });
  cleanups.push(() => replay.close());
  const discord = await startFakeDiscord();
  cleanups.push(() => discord.close());
  replay.app.connect(new DiscordAdapter({ token: discord.token, guildId: discord.guildId, apiBase: discord.apiBase, dispatcher: replay.app.dispatcher, log: pino({ level: 'silent' }) }));
  await replay.app.start();
  return { clock, replay, discord };
}

async function tickAt(clock: MovableClock, replay: ReplayApp, at: number): Promise<void> {
  clock.set(at);
  await replay.app.scheduler.runNow(DIGEST_JOB);
  await replay.app.outbox.whenIdle();
}

/** Runs `/digest <subcommand>` and resolves with everything its answer says (embeds, flags). */
async function digest(discord: FakeDiscord, subcommand: string, args: Record<string, unknown>, who: typeof MANAGER): Promise<{ text: string; ephemeral: boolean; interaction: FakeInteraction }> {
  const interaction = discord.command('digest', args, { subcommand, ...who });
  await answered(discord, interaction);
  const original = discord.originalMessage(interaction);
  const answer = webhookAnswers(discord, interaction)[0];
  const flags = Number(original?.flags ?? answer?.body?.flags ?? 0);
  return { text: JSON.stringify(original?.embeds ?? answer?.body), ephemeral: (flags & 64) === 64, interaction };
}

/** Digests posted to the channel by the bot itself (not interaction answers, which come through the webhook). */
const channelDigests = (discord: FakeDiscord) =>
  [...discord.messages.values()].filter((message) => message.channel_id === discord.channelId && message.webhook_id === undefined && /Basis digest/.test(JSON.stringify(message.embeds)));

describe('digests over Discord', () => {
  it('set for the next minute by a channel manager: posted exactly once with its chart; off stops it', async () => {
    const { clock, replay, discord } = await setUp();
    const set = await digest(discord, 'set', { when: '08:00', timezone: 'UTC', assets: 'BTC ETH SOL' }, MANAGER);
    expect(set.text).toMatch(/Every day at 08:00 in UTC: BTC, ETH, SOL\./);
    expect(set.text).toMatch(/Wed, 2 Dec 2026, 08:00 UTC/);

    for (const at of [SLOT - 5_000, SLOT + 2_000, SLOT + 40_000, SLOT + 61_000]) await tickAt(clock, replay, at);
    const posted = channelDigests(discord);
    expect(posted).toHaveLength(1);
    const [message] = posted;
    expect(message.embeds[0].title).toBe('Basis digest, Wednesday, 2 December 2026');
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0].content_type).toBe('image/png');
    expect(message.embeds.some((embed: { image?: { url: string } }) => embed.image?.url === `attachment://${message.attachments[0].filename}`)).toBe(true);
    const text = JSON.stringify(message.embeds);
    for (const asset of ['BTC', 'ETH', 'SOL']) expect(text).toContain(`${asset}: `);
    // Every channel post was accepted: none broke an embed limit.
    expect(discord.calls.filter((call) => call.method === 'POST' && call.path.startsWith('/channels/')).every((call) => call.status === 200)).toBe(true);

    const off = await digest(discord, 'off', {}, MANAGER);
    expect(off.text).toMatch(/Digest turned off for this channel|Digest turned off for this chat/);
    await tickAt(clock, replay, SLOT + DAY + 2_000);
    expect(channelDigests(discord)).toHaveLength(1);
  });

  it('a member without Manage Channels is refused privately and nothing is saved; they can still read it', async () => {
    const { clock, replay, discord } = await setUp();
    const refused = await digest(discord, 'set', { when: '08:00', timezone: 'UTC', assets: 'BTC' }, MEMBER);
    expect(refused.text).toMatch(/Only an admin of this chat \(on Discord, someone with the Manage Channels permission\) can change its digest/);
    expect(refused.ephemeral).toBe(true);
    expect((await digest(discord, 'off', {}, MEMBER)).text).toMatch(/Only an admin/);
    expect((await digest(discord, 'show', {}, MEMBER)).text).toMatch(/No digest is scheduled/);
    await tickAt(clock, replay, SLOT + 2_000);
    expect(channelDigests(discord)).toHaveLength(0);

    await digest(discord, 'set', { when: '08:00', timezone: 'UTC', assets: 'BTC' }, MANAGER);
    expect((await digest(discord, 'show', {}, MEMBER)).text).toMatch(/Every day at 08:00 in UTC: BTC\./);
    const bad = await digest(discord, 'set', { when: '8am', timezone: 'Mars/Olympus' }, MANAGER);
    expect(bad.text).toMatch(/\\"8am\\" is not a time of day/);
    expect((await digest(discord, 'show', {}, MEMBER)).text).toMatch(/Every day at 08:00 in UTC: BTC\./);
  });

  it('a channel the bot lost access to (403, 50001) pauses the digest; show says so; set resumes it', async () => {
    const { clock, replay, discord } = await setUp();
    await digest(discord, 'set', { when: '08:00', timezone: 'UTC', assets: 'BTC' }, MANAGER);
    const posts = () => discord.calls.filter((call) => call.method === 'POST' && call.path === `/channels/${discord.channelId}/messages`);
    discord.fail('POST', `/channels/${discord.channelId}/messages`, { kind: 'status', status: 403, code: 50001, message: 'Missing Access' }, Infinity);
    await tickAt(clock, replay, SLOT + 2_000);
    expect(posts().map((call) => call.status)).toEqual([403]);
    await tickAt(clock, replay, SLOT + DAY + 2_000);
    expect(posts()).toHaveLength(1);

    discord.clearFailures();
    expect((await digest(discord, 'show', {}, MEMBER)).text).toMatch(/Paused: this chat stopped accepting messages \(missing access/);
    expect((await digest(discord, 'set', { when: '08:00', timezone: 'UTC', assets: 'BTC' }, MANAGER)).text).toMatch(/Resumed/);
    await tickAt(clock, replay, SLOT + 2 * DAY + 2_000);
    expect(channelDigests(discord)).toHaveLength(1);
  });
});
