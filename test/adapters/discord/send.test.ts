/**
 * Pushed messages (alerts, digests): `send()` to a channel or a DM, and how each Discord
 * failure maps to the outbox's outcome. send() must never throw.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Target } from '../../../src/core/adapter.js';
import type { Reply } from '../../../src/core/reply.js';
import { PNG, startHarness, type Harness } from './helpers.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ maxRateLimitWaitMs: 2_000 });
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => {
  harness.fake.clearFailures();
});

const reply: Reply = {
  title: 'BTC basis above 10%',
  tone: 'contango',
  blocks: [{ kind: 'text', text: 'Annualized basis on binance Dec is 10.4%.' }],
  image: { name: 'curve BTC.png', png: PNG, alt: 'curve' },
  actions: [{ id: 'refresh', label: 'Refresh' }],
};
const channel: Target = { platform: 'discord', chatId: '500000000000000001' };

function callsTo(path: string) {
  return harness.fake.calls.filter((call) => call.path === path);
}

describe('send', () => {
  test('posts the embed and the chart to a channel, without buttons (nothing to re-run)', async () => {
    const outcome = await harness.adapter.send(channel, reply);
    expect(outcome).toEqual({ status: 'sent' });
    const [post] = callsTo(`/channels/${channel.chatId}/messages`).slice(-1);
    expect(post.body.embeds[0]).toMatchObject({ title: 'BTC basis above 10%', image: { url: 'attachment://curve_BTC.png' } });
    expect(post.body.components).toEqual([]);
    expect(post.body.allowed_mentions).toEqual({ parse: [] });
    expect(post.files.map((file) => [file.name, file.data.equals(PNG)])).toEqual([['curve_BTC.png', true]]);
  });

  test('a DM opens the DM channel once and posts there', async () => {
    const user = '600000000000000001';
    expect(await harness.adapter.send({ platform: 'discord', chatId: user, dm: true }, reply)).toEqual({ status: 'sent' });
    expect(await harness.adapter.send({ platform: 'discord', chatId: user, dm: true }, reply)).toEqual({ status: 'sent' });
    const opens = callsTo('/users/@me/channels').filter((call) => call.body.recipient_id === user);
    expect(opens).toHaveLength(1);
    expect(harness.fake.calls.filter((call) => call.path.endsWith('/messages') && call.method === 'POST' && call.status === 200).length).toBeGreaterThanOrEqual(2);
  });

  test('a user who blocks DMs (50007) is unreachable', async () => {
    const user = '600000000000000002';
    harness.fake.closeDms(user);
    const outcome = await harness.adapter.send({ platform: 'discord', chatId: user, dm: true }, reply);
    expect(outcome.status).toBe('unreachable');
    expect(outcome).toMatchObject({ reason: expect.stringContaining('50007') });
  });

  test.each([
    [10003, 404, 'Unknown Channel'],
    [50001, 403, 'Missing Access'],
  ])('Discord %i is unreachable', async (code, status, message) => {
    harness.fake.fail('POST', `/channels/${channel.chatId}/messages`, { kind: 'status', status, code, message });
    const outcome = await harness.adapter.send(channel, reply);
    expect(outcome).toMatchObject({ status: 'unreachable', reason: expect.stringContaining(String(code)) });
  });

  test('a server error that outlasts discord.js retries is retry-later', async () => {
    harness.fake.fail('POST', `/channels/${channel.chatId}/messages`, { kind: 'status', status: 503 }, 4);
    const outcome = await harness.adapter.send(channel, reply);
    expect(outcome).toMatchObject({ status: 'retry-later', reason: expect.stringContaining('503') });
  });

  test('a dropped connection is retry-later', async () => {
    harness.fake.fail('POST', `/channels/${channel.chatId}/messages`, { kind: 'reset' }, 4);
    const outcome = await harness.adapter.send(channel, reply);
    expect(outcome.status).toBe('retry-later');
  });

  test('a short 429 is waited out by discord.js; a long one comes back as retry-later with its delay', async () => {
    harness.fake.fail('POST', `/channels/${channel.chatId}/messages`, { kind: 'rate-limit', retryAfterSec: 0.2 });
    expect(await harness.adapter.send(channel, reply)).toEqual({ status: 'sent' });

    const otherChannel = '500000000000000009';
    harness.fake.fail('POST', `/channels/${otherChannel}/messages`, { kind: 'rate-limit', retryAfterSec: 30 });
    const started = Date.now();
    const outcome = await harness.adapter.send({ platform: 'discord', chatId: otherChannel }, reply);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(outcome.status).toBe('retry-later');
    if (outcome.status === 'retry-later') expect(outcome.retryAfterMs).toBeGreaterThanOrEqual(30_000);
  });
});
