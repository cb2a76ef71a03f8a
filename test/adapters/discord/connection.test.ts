/**
 * Login, command registration and gateway reconnection of the Discord adapter, end to end
 * through discord.js against the fake Discord.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { DiscordAdapter } from '../../../src/adapters/discord/adapter.js';
import { buildCommandPayloads } from '../../../src/adapters/discord/register.js';
import { Dispatcher } from '../../../src/core/dispatch.js';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord-server.js';
import { answered, captureLogger, fakeServices, startHarness, testCommands, type Harness } from './helpers.js';

let harness: Harness | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function bareAdapter(fake: FakeDiscord, overrides: { token?: string; guildId?: string } = {}) {
  const { log, lines } = captureLogger();
  const services = fakeServices();
  const registry = testCommands();
  const dispatcher = new Dispatcher(registry.commands, { services, now: Date.now }, log);
  const adapter = new DiscordAdapter({ token: overrides.token ?? fake.token, guildId: overrides.guildId, apiBase: fake.apiBase, dispatcher, log });
  return { adapter, lines, runs: registry.runs };
}

describe('login and registration', () => {
  test('registers the whole registry in the guild with one authorised PUT', async () => {
    harness = await startHarness();
    const { fake } = harness;
    const puts = fake.calls.filter((call) => call.method === 'PUT');
    expect(puts.map((call) => call.path)).toEqual([`/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`]);
    expect(puts[0].body).toEqual(buildCommandPayloads(testCommands().commands));

    const [basis, , alert] = puts[0].body;
    expect(basis.options.map((option: { name: string; required: boolean }) => [option.name, option.required])).toEqual([
      ['asset', true], ['venue', false], ['sort', false],
    ]);
    expect(alert.options.map((option: { type: number; name: string }) => [option.type, option.name])).toEqual([[1, 'add'], [1, 'list']]);
    expect(fake.registered.global).toBeUndefined();
  });

  test('without a guild the commands are registered globally and work in DMs', async () => {
    const fake = await startFakeDiscord();
    cleanups.push(() => fake.close());
    const { adapter, runs } = bareAdapter(fake);
    cleanups.unshift(() => adapter.stop());
    await adapter.start();
    expect(fake.registered.global?.map((command) => command.name)).toEqual(['basis', 'curve', 'alert']);

    const interaction = fake.command('basis', { asset: 'BTC' }, { guildId: null });
    await answered(fake, interaction);
    expect(runs.get('basis')).toBe(1);
    expect(fake.originalMessage(interaction)!.embeds[0].title).toBe('BTC basis (run 1)');
  });

  test('a bad token makes start() fail with a clear error', async () => {
    const fake = await startFakeDiscord();
    cleanups.push(() => fake.close());
    const { adapter } = bareAdapter(fake, { token: 'wrong' });
    await expect(adapter.start()).rejects.toThrow(/Discord login failed/);
    expect(fake.calls[0]).toMatchObject({ path: '/gateway/bot', status: 401 });
  });

  test('a failed registration is logged and the bot still answers', async () => {
    const fake = await startFakeDiscord();
    cleanups.push(() => fake.close());
    // discord.js retries a 5xx three times; four failures exhaust it.
    fake.fail('PUT', '/commands', { kind: 'status', status: 503 }, 4);
    const { adapter, lines } = bareAdapter(fake, { guildId: fake.guildId });
    cleanups.unshift(() => adapter.stop());
    await adapter.start();
    expect(lines.some((line) => line.level === 50 && String(line.msg).includes('registration failed'))).toBe(true);
  });
});

describe('gateway reconnection', () => {
  test('a dropped socket is resumed and the next interaction is still answered', async () => {
    harness = await startHarness();
    const { fake, lines } = harness;
    const resumed = fake.gateway.waitFor('resumed');
    fake.gateway.drop();
    await resumed;

    expect(fake.gateway.stats).toMatchObject({ identifies: 1, resumes: 1, connections: 2 });
    expect(lines.some((line) => String(line.msg).includes('reconnecting'))).toBe(true);
    const interaction = fake.command('basis', { asset: 'BTC' });
    await answered(fake, interaction);
    expect(fake.originalMessage(interaction)!.embeds[0].title).toBe('BTC basis (run 1)');
  });

  test('an interaction sent while the socket is down is replayed on resume and answered', async () => {
    harness = await startHarness();
    const { fake } = harness;
    const reconnected = fake.gateway.waitFor('connection');
    fake.gateway.drop();
    // Dispatched before the client is back: Discord keeps it for the RESUME replay.
    const interaction = fake.command('curve', { asset: 'ETH' });
    await reconnected;
    await answered(fake, interaction);
    expect(fake.originalMessage(interaction)!.attachments).toHaveLength(1);
  });

  test('when the session cannot be resumed the client identifies afresh and keeps working', async () => {
    harness = await startHarness();
    const { fake } = harness;
    fake.gateway.refuseNextResume();
    const ready = fake.gateway.waitFor('ready', 20_000);
    fake.gateway.closeWith(4000, 'unknown error');
    await ready;

    expect(fake.gateway.stats.identifies).toBe(2);
    const interaction = fake.command('basis', { asset: 'SOL' });
    await answered(fake, interaction);
    expect(fake.originalMessage(interaction)!.embeds[0].title).toBe('SOL basis (run 1)');
  }, 30_000);

  test('heartbeats are answered and the connection stays up', async () => {
    harness = await startHarness({ heartbeatIntervalMs: 200 });
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(harness.fake.gateway.stats.heartbeats).toBeGreaterThanOrEqual(2);
    expect(harness.fake.gateway.stats.connections).toBe(1);
  });
});
