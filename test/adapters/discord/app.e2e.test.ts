/**
 * The real app (real commands, ccxt, the market replay) behind the Discord adapter, driven
 * through discord.js by the fake Discord: what a user in a server would see.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DiscordAdapter } from '../../../src/adapters/discord/adapter.js';
import { decodeCustomId } from '../../../src/adapters/discord/custom-id.js';
import { buildCommandPayloads } from '../../../src/adapters/discord/register.js';
import { COMMANDS } from '../../../commands/index.js';
import { startReplayApp, type ReplayApp } from '../../helpers/replay-app.js';
import { ANSWER_DEADLINE_MS, startFakeDiscord, type FakeDiscord } from '../../fakes/discord-server.js';
import { MESSAGE_FLAG } from '../../fakes/discord-messages.js';
import { answered, callbacks, captureLogger, settled, webhookAnswers, type LogLine } from './helpers.js';

let replay: ReplayApp;
let fake: FakeDiscord;
let adapter: DiscordAdapter;
let lines: LogLine[];

beforeAll(async () => {
  // A short quote TTL so the slow-venue test does not wait long for the cache to expire.
  replay = await startReplayApp({ env: { QUOTE_TTL_MS: '1500' } });
  fake = await startFakeDiscord();
  const captured = captureLogger();
  lines = captured.lines;
  adapter = new DiscordAdapter({
    token: fake.token,
    guildId: fake.guildId,
    apiBase: fake.apiBase,
    dispatcher: replay.app.dispatcher,
    log: captured.log,
  });
  await adapter.start();
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
  await replay?.close();
});

describe('the real commands on Discord', () => {
  test('every command registers, exactly as the registry describes it', () => {
    const registered = fake.registered.guilds.get(fake.guildId)!;
    expect(registered.map((command) => command.name)).toEqual(COMMANDS.map((command) => command.name));
    const put = fake.calls.find((call) => call.method === 'PUT')!;
    expect(put.status).toBe(200);
    expect(put.body).toEqual(buildCommandPayloads(COMMANDS));
    const basis = registered.find((command) => command.name === 'basis');
    expect(basis.options[0]).toMatchObject({ name: 'asset', type: 3, required: true, autocomplete: true });
  });

  test('/basis asset:BTC: deferred in time, then a coloured embed with the curve table and a Refresh button', async () => {
    const interaction = fake.command('basis', { asset: 'BTC' });
    await answered(fake, interaction);
    expect(callbacks(fake, interaction)[0].sinceDispatchMs).toBeLessThan(ANSWER_DEADLINE_MS);
    const message = fake.originalMessage(interaction)!;
    expect(message.embeds[0].title).toMatch(/^BTC basis/);
    expect(message.embeds[0].description).toContain('```');
    expect(decodeCustomId(message.components[0].components[0].custom_id)).toEqual({ actionId: 'refresh', command: 'basis', args: { asset: 'BTC' } });
  });

  test('/curve asset:SOL: the chart is attached as a PNG and shown in the embed', async () => {
    const interaction = fake.command('curve', { asset: 'SOL' });
    await answered(fake, interaction);
    const [answer] = webhookAnswers(fake, interaction).length ? webhookAnswers(fake, interaction) : callbacks(fake, interaction);
    const file = answer.files[0];
    expect(file.contentType).toBe('image/png');
    expect(file.data.subarray(1, 4).toString()).toBe('PNG');
    const message = fake.originalMessage(interaction)!;
    expect(message.embeds.some((embed) => embed.image?.url === `attachment://${file.name}`)).toBe(true);
    expect(message.attachments.map((attachment) => attachment.filename)).toEqual([file.name]);
  });

  test('autocomplete suggests real assets, most liquid first', async () => {
    const interaction = fake.autocomplete('basis', { asset: 'bt' }, 'asset');
    await answered(fake, interaction);
    const choices = fake.interactions.get(interaction.id)!.choices!;
    expect(choices[0]).toEqual({ name: 'BTC', value: 'BTC' });
    expect(choices.length).toBeLessThanOrEqual(25);
  });

  test('an unknown asset is a private error', async () => {
    const interaction = fake.command('basis', { asset: 'NOTACOIN' });
    await answered(fake, interaction);
    const answer = webhookAnswers(fake, interaction)[0] ?? callbacks(fake, interaction)[0];
    const flags = answer.body.flags ?? answer.body.data?.flags;
    expect(flags & MESSAGE_FLAG.Ephemeral).toBe(MESSAGE_FLAG.Ephemeral);
    expect(JSON.stringify(answer.body)).toContain('Unknown asset NOTACOIN');
  });

  test('Refresh on a real answer updates the same message', async () => {
    const interaction = fake.command('basis', { asset: 'ETH' });
    await answered(fake, interaction);
    const message = fake.originalMessage(interaction)!;
    const click = fake.click(message.id, message.components[0].components[0].custom_id);
    await answered(fake, click);
    expect([6, 7]).toContain(callbacks(fake, click)[0].body.type);
    expect(fake.messages.get(message.id)!.edited_timestamp).not.toBeNull();
    expect(fake.messages.get(message.id)!.embeds[0].title).toMatch(/^ETH basis/);
  });

  test('the first answer still arrives within 3 s while binance takes 5 s to answer', async () => {
    replay.server.setFault('binance', { kind: 'slow', delayMs: 5_000 });
    try {
      // Nothing cached, so the venues must be asked (and binance is slow).
      await settled(fake, () => !replay.app.market.isCached('DOGE', 'binance'));
      const interaction = fake.command('basis', { asset: 'DOGE' });
      await answered(fake, interaction);
      const [first] = callbacks(fake, interaction);
      expect(first.body.type).toBe(5);
      expect(first.sinceDispatchMs).toBeLessThan(ANSWER_DEADLINE_MS);
      const [edit] = webhookAnswers(fake, interaction);
      expect(edit.sinceDispatchMs).toBeGreaterThan(ANSWER_DEADLINE_MS);
      expect(fake.originalMessage(interaction)!.embeds[0].title).toMatch(/^DOGE basis/);
      expect(lines.some((line) => line.level >= 50)).toBe(false);
    } finally {
      replay.server.clearFaults();
    }
  }, 30_000);
});
