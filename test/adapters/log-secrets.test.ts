import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { captureLogger } from '../helpers/captured-log.js';
import { answered, settled, startHarness, type Harness } from './discord/helpers.js';
import { adapterFor } from './telegram/helpers.js';
import type { TelegramAdapter } from '../../src/adapters/telegram/adapter.js';

// A token shaped like BotFather's (the fake's default is too short to look like one).
const TELEGRAM_TOKEN = '7654321098:AAHd4sEx-ampleTokenFromBotFather_xyz12';

let harness: Harness | undefined;
let telegram: FakeTelegram | undefined;
let adapter: TelegramAdapter | undefined;
afterEach(async () => {
  await harness?.close();
  await adapter?.stop();
  await telegram?.close();
  harness = telegram = adapter = undefined;
});

describe('no token in the logs of an adapter run (issue 11 item 6)', () => {
  it('Discord: a failed interaction callback is logged without its token', async () => {
    harness = await startHarness();
    const { fake } = harness;
    fake.fail('POST', '/callback', { kind: 'status', status: 404, code: 10062, message: 'Unknown interaction' });
    const lost = fake.command('basis', { asset: 'BTC' });
    await settled(fake, () => harness!.lines.some((line) => String(line.msg).includes('10062')));
    const next = fake.command('basis', { asset: 'ETH' });
    await answered(fake, next);
    const text = JSON.stringify(harness.lines);
    expect(harness.lines.length).toBeGreaterThan(0);
    for (const secret of [lost.token, next.token, fake.token]) expect(text, secret).not.toContain(secret);
    expect(text).toContain('[redacted]'); // the token was in a log line: it did not just go unlogged
  });

  it('Telegram: failing Bot API calls are logged without the bot token', async () => {
    telegram = await startFakeTelegram({ token: TELEGRAM_TOKEN });
    telegram.injectFault({ method: 'setMyCommands', status: 'reset' }); // node-fetch's error names the URL, token and all
    const { log, raw } = captureLogger('trace');
    adapter = adapterFor(telegram, log);
    await adapter.start();
    expect(raw.some((line) => line.includes('setMyCommands failed'))).toBe(true);
    const text = raw.join('\n');
    expect(text).not.toContain(TELEGRAM_TOKEN);
    expect(text).not.toContain(TELEGRAM_TOKEN.split(':')[1]);
    expect(text).toMatch(/\/bot7654321098:\[redacted\]\/setMyCommands|\/bot\[redacted\]\/setMyCommands/i); // the URL was logged, secret cut
  });
});
