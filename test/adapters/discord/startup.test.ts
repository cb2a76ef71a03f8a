/**
 * start() against a Discord that hangs (issue 11 item 15): the REST API never answers the
 * gateway lookup, or the gateway never sends READY. start() must fail with a clear error
 * within its ready timeout, and nothing may reject unobserved, then or after stop().
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DiscordAdapter } from '../../../src/adapters/discord/adapter.js';
import { Dispatcher } from '../../../src/core/dispatch.js';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord-server.js';
import { captureLogger, fakeServices, testCommands } from './helpers.js';

const unhandled: unknown[] = [];
const count = (reason: unknown): void => {
  unhandled.push(reason);
};
let fake: FakeDiscord;
let adapter: DiscordAdapter | undefined;

beforeEach(async () => {
  unhandled.length = 0;
  process.on('unhandledRejection', count);
  fake = await startFakeDiscord();
});

afterEach(async () => {
  await adapter?.stop();
  adapter = undefined;
  await fake.close();
  // Rejections surface on a later turn of the event loop; give them a few turns.
  for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  process.off('unhandledRejection', count);
});

function newAdapter(readyTimeoutMs: number): DiscordAdapter {
  const { log } = captureLogger();
  const dispatcher = new Dispatcher(testCommands().commands, { services: fakeServices(), now: Date.now }, log);
  adapter = new DiscordAdapter({ token: fake.token, guildId: fake.guildId, apiBase: fake.apiBase, dispatcher, log, readyTimeoutMs, closeTimeoutMs: 500 });
  return adapter;
}

/** start()'s outcome, or the first unhandled rejection if that comes first. */
async function startOutcome(subject: DiscordAdapter): Promise<{ error?: Error; unhandled?: unknown }> {
  const rejection = new Promise<{ unhandled: unknown }>((resolve) => process.once('unhandledRejection', (reason) => resolve({ unhandled: reason })));
  return Promise.race([
    subject.start().then(
      () => ({}),
      (error: Error) => ({ error }),
    ),
    rejection,
  ]);
}

describe('start() against a hanging Discord', () => {
  test('GET /gateway/bot never answers: start() fails at the ready timeout, nothing rejects unobserved', async () => {
    fake.fail('GET', '/gateway/bot', { kind: 'hang' }, 10);
    const outcome = await startOutcome(newAdapter(300));
    expect(outcome.unhandled).toBeUndefined();
    expect(outcome.error?.message).toMatch(/Discord login failed: .*did not become ready/);
    await adapter!.stop();
    expect(unhandled).toEqual([]);
  });

  test('the gateway never sends READY: start() fails at the ready timeout, nothing rejects unobserved', async () => {
    fake.gateway.holdReady();
    const outcome = await startOutcome(newAdapter(300));
    expect(outcome.unhandled).toBeUndefined();
    expect(outcome.error?.message).toMatch(/did not become ready/);
    expect(fake.gateway.stats.identifies).toBeGreaterThanOrEqual(1);
    await adapter!.stop();
    expect(unhandled).toEqual([]);
  });

  test('stop() while start() is still waiting leaves nothing unobserved', async () => {
    fake.fail('GET', '/gateway/bot', { kind: 'hang' }, 10);
    const subject = newAdapter(60_000);
    const starting = subject.start().then(
      () => undefined,
      (error: Error) => error,
    );
    await fake.waitForCall((call) => call.path === '/gateway/bot');
    await subject.stop();
    expect(await starting).toBeInstanceOf(Error);
    expect(unhandled).toEqual([]);
  });
});
