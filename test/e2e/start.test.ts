import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { tempDataDir } from '../helpers/replay-app.js';

const BIN = path.resolve('bin/basisbot.js');

function startBot(fake: FakeTelegram, dataDir: string): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, 'start', '--market', 'replay'], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot },
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
    const bot = startBot(fake, dataDir);
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
    const bot = startBot(fake, dataDir);
    cleanups.push(() => void bot.child.kill('SIGKILL'));
    expect(await bot.exited).toBe(1);
    expect(bot.stderr()).toMatch(/409|other getUpdates|Conflict/i);
  });
});
