import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answered } from '../adapters/discord/helpers.js';
import { startFakeDiscord } from '../fakes/discord-server.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { tempDataDir } from '../helpers/replay-app.js';

/**
 * Preloaded into the bot process: on SIGUSR2 it throws from a callback (an uncaught
 * exception) or rejects a promise nobody awaits, as a bug deep in a library would.
 */
const CRASH_TRIGGER = `process.on('SIGUSR2', () => {
  if (process.env.CRASH_KIND === 'rejection') void Promise.reject(new Error('injected rejection'));
  else setImmediate(() => { throw new Error('injected exception'); });
});`;

const BIN = path.resolve('bin/basisbot.js');
const telegramEnv = (fake: FakeTelegram) => ({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot });

function startBot(env: Record<string, string>, dataDir: string, nodeArgs: string[] = []): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'start', '--market', 'replay'], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('basisbot start (Telegram, on the replay)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('answers a user in Telegram and stops cleanly on SIGTERM', async () => {
    const fake = await startFakeTelegram();
    const dataDir = tempDataDir();
    cleanups.push(() => fake.close(), () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const bot = startBot(telegramEnv(fake), dataDir);
    cleanups.push(() => void bot.child.kill('SIGKILL'));
    await fake.waitFor(() => fake.calls.some((call) => call.method === 'getUpdates'), 20_000);
    expect(fake.commands?.map((command) => command.command)).toContain('basis');
    fake.pushMessage(42, '/basis BTC');
    const answer = await fake.waitFor(() => fake.sent.find((message) => /BTC basis/.test(message.text ?? '')), 20_000);
    expect(String(answer.chatId)).toBe('42');
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  });

  it('exits non-zero with a clear log line when another poller holds the bot (409)', async () => {
    const fake = await startFakeTelegram();
    const dataDir = tempDataDir();
    cleanups.push(() => fake.close(), () => fs.rmSync(dataDir, { recursive: true, force: true }));
    fake.injectFault({ method: 'getUpdates', status: 409, times: Infinity });
    const bot = startBot(telegramEnv(fake), dataDir);
    cleanups.push(() => void bot.child.kill('SIGKILL'));
    expect(await bot.exited).toBe(1);
    expect(bot.stderr()).toMatch(/409|other getUpdates|Conflict/i);
  });

  it('runs Telegram and Discord side by side from one process', async () => {
    const telegram = await startFakeTelegram();
    const discord = await startFakeDiscord();
    const dataDir = tempDataDir();
    cleanups.push(() => telegram.close(), () => discord.close(), () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const bot = startBot({ ...telegramEnv(telegram), DISCORD_TOKEN: discord.token, DISCORD_API_BASE: discord.apiBase, DISCORD_GUILD_ID: discord.guildId }, dataDir);
    cleanups.push(() => void bot.child.kill('SIGKILL'));
    await telegram.waitFor(() => telegram.calls.some((call) => call.method === 'getUpdates'), 20_000);
    await vi.waitFor(() => expect(discord.registered.guilds.get(discord.guildId)?.length).toBeGreaterThan(5), { timeout: 20_000 });
    const interaction = discord.command('funding', { asset: 'ETH' });
    telegram.pushMessage(7, '/funding ETH');
    await answered(discord, interaction);
    expect(discord.originalMessage(interaction)!.embeds[0].title).toBe('ETH perpetual funding');
    await telegram.waitFor(() => telegram.sent.find((message) => /ETH perpetual funding/.test(message.text ?? '')), 20_000);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  });

  it('keeps Discord answering when Telegram draws 409 from getUpdates (another poller)', async () => {
    const telegram = await startFakeTelegram();
    const discord = await startFakeDiscord();
    const dataDir = tempDataDir();
    cleanups.push(() => telegram.close(), () => discord.close(), () => fs.rmSync(dataDir, { recursive: true, force: true }));
    telegram.injectFault({ method: 'getUpdates', status: 409, times: Infinity });
    const bot = startBot({ ...telegramEnv(telegram), DISCORD_TOKEN: discord.token, DISCORD_API_BASE: discord.apiBase, DISCORD_GUILD_ID: discord.guildId }, dataDir);
    cleanups.push(() => void bot.child.kill('SIGKILL'));
    await vi.waitFor(() => expect(bot.stderr()).toMatch(/one chat adapter stopped receiving; the others keep running/), { timeout: 20_000 });
    expect(bot.stderr()).toMatch(/TELEGRAM_WEBHOOK_URL/);
    const interaction = discord.command('funding', { asset: 'ETH' });
    await answered(discord, interaction);
    expect(discord.originalMessage(interaction)!.embeds[0].title).toBe('ETH perpetual funding');
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  });

  it.each([
    ['exception', /uncaught exception: exiting with code 1/],
    ['rejection', /unhandled promise rejection: exiting with code 1/],
  ])('logs an unhandled %s and exits 1 so the orchestrator restarts it', async (kind, logged) => {
    const fake = await startFakeTelegram();
    const dataDir = tempDataDir();
    const trigger = path.join(dataDir, 'crash-trigger.mjs');
    fs.writeFileSync(trigger, CRASH_TRIGGER);
    cleanups.push(() => fake.close(), () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const bot = startBot({ ...telegramEnv(fake), CRASH_KIND: kind }, dataDir, ['--import', trigger]);
    cleanups.push(() => void bot.child.kill('SIGKILL'));
    await fake.waitFor(() => fake.calls.some((call) => call.method === 'getUpdates'), 20_000);
    bot.child.kill('SIGUSR2');
    expect(await bot.exited).toBe(1);
    expect(bot.stderr()).toMatch(logged);
    expect(bot.stderr()).toMatch(`injected ${kind}`);
  });
});
