/**
 * Slash commands are registered only when their definition changed: the hash of the last
 * registration lives in the store (real SQLite here), so restarts and extra replicas do not
 * PUT the same list again. Against the fake Discord, which records every REST call. Also:
 * DISCORD_SHARDS reaches the discord.js client.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DiscordAdapter, shardOptions } from '../../../src/adapters/discord/adapter.js';
import type { Command } from '../../../src/core/command.js';
import { Dispatcher } from '../../../src/core/dispatch.js';
import { createStoreFactory, type StoreFactory } from '../../../src/store/index.js';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord-server.js';
import { captureLogger, fakeServices, testCommands } from './helpers.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-discord-register-'));
let stores: StoreFactory | undefined;
let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  await stores?.close();
  fake = undefined;
  stores = undefined;
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function adapterFor(discord: FakeDiscord, commands: Command[], store: StoreFactory): DiscordAdapter {
  const { log } = captureLogger();
  const dispatcher = new Dispatcher(commands, { services: fakeServices(), now: Date.now }, log);
  return new DiscordAdapter({
    token: discord.token,
    guildId: discord.guildId,
    apiBase: discord.apiBase,
    dispatcher,
    log,
    closeTimeoutMs: 1_000,
    commandHashes: store.open<string>('discord-command-hashes'),
  });
}

/** One process lifetime: start (log in, maybe register), then stop. */
async function runOnce(discord: FakeDiscord, commands: Command[], store: StoreFactory): Promise<void> {
  const adapter = adapterFor(discord, commands, store);
  try {
    await adapter.start();
  } finally {
    await adapter.stop();
  }
}

const registrationPuts = (discord: FakeDiscord) => discord.calls.filter((call) => call.method === 'PUT' && /\/applications\/[^/]+\/(guilds\/[^/]+\/)?commands$/.test(call.path));

describe('Discord command registration', () => {
  it('PUTs once across two starts with the same definitions, and again when they change', async () => {
    fake = await startFakeDiscord();
    stores = createStoreFactory({ dataDir });
    const { commands } = testCommands();

    await runOnce(fake, commands, stores);
    await runOnce(fake, commands, stores);
    expect(registrationPuts(fake)).toHaveLength(1);
    expect(fake.registered.guilds.get(fake.guildId)?.map((command: { name: string }) => command.name)).toEqual(commands.map((command) => command.name));

    const changed = commands.map((command) => (command.name === 'basis' ? { ...command, description: 'Futures basis, now with a new description' } : command));
    await runOnce(fake, changed, stores);
    expect(registrationPuts(fake)).toHaveLength(2);
    expect(fake.registered.guilds.get(fake.guildId)?.find((command: { name: string }) => command.name === 'basis').description).toBe('Futures basis, now with a new description');
  });

  it('registers again at the next start when the PUT failed (nothing is remembered)', async () => {
    fake = await startFakeDiscord();
    stores = createStoreFactory({ dataDir: fs.mkdtempSync(path.join(dataDir, 'failed-')) });
    const { commands } = testCommands();
    // A 400 is not retried by discord.js: the first start's registration fails outright.
    fake.fail('PUT', /\/commands$/, { kind: 'status', status: 400, code: 50035, message: 'Invalid Form Body' });
    await runOnce(fake, commands, stores);
    await runOnce(fake, commands, stores);
    await runOnce(fake, commands, stores);
    expect(registrationPuts(fake).map((call) => call.status)).toEqual([400, 200]);
  });
});

describe('DISCORD_SHARDS', () => {
  it.each([
    [undefined, undefined, undefined],
    ['auto', 'auto', undefined],
    [3, [0, 1, 2], 3],
  ] as const)('%s reaches the discord.js client', async (shards, expectedShards, expectedCount) => {
    expect(shardOptions(shards)).toEqual(shards === undefined ? {} : expectedCount ? { shards: expectedShards, shardCount: expectedCount } : { shards: expectedShards });
    const { log } = captureLogger();
    const dispatcher = new Dispatcher(testCommands().commands, { services: fakeServices(), now: Date.now }, log);
    const adapter = new DiscordAdapter({ token: 'x.y.z', dispatcher, log, shards });
    const options = adapter['client'].options;
    if (shards === undefined) {
      // discord.js's own default: one shard, decided at login.
      expect(options.shardCount).toBe(1);
    } else {
      expect(options.shards).toEqual(expectedShards);
      if (expectedCount) expect(options.shardCount).toBe(expectedCount);
    }
  });
});
