/**
 * Digests on two replicas of the real app sharing one Redis: a schedule set on the replica
 * without the lease is run by the holder, each chat's slot is claimed in the store before its
 * digest is queued (so neither a second replica running the slot nor a takeover sends it
 * twice), and a holder killed mid-send is replaced within one lease period.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { replicaPair, telegramUser, TTL, type ReplicaPair } from './replica-pair.js';

const redisUrl = process.env['REDIS_URL'];
if (!redisUrl) console.warn('replicas (digests): REDIS_URL is unset, skipped (CI sets it; try REDIS_URL=redis://127.0.0.1:6379)');

const START = Date.parse('2026-11-25T12:00:20Z');
const DUE = Date.parse('2026-11-25T12:01:05Z');

let pair: ReplicaPair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

async function twoReplicasWithDigestOnB() {
  pair = await replicaPair(redisUrl!, START);
  const { a, b } = await pair.startTwo();
  const set = await b.say('/digest set 12:01 UTC BTC', telegramUser('777'));
  expect(set.ok, set.text).toBe(true);
  await pair.advance(DUE - pair.clock.now());
  return { pair, a, b };
}

const digestsTo = (pair: ReplicaPair, chatId: string) => pair.delivered.filter((d) => d.target.chatId === chatId);

describe.skipIf(!redisUrl)('digests on two replicas on one Redis', () => {
  it('a digest set on the replica without the lease for the next minute is posted once, by the holder', async () => {
    const { pair, a, b } = await twoReplicasWithDigestOnB();
    // b runs the slot by mistake first: it may not push, so its claim is given back.
    expect((await b.digests().runDue(pair.clock.now())).queued).toBe(0);
    const report = await a.digests().runDue(pair.clock.now());
    expect(report.queued).toBe(1);
    expect((await a.digests().runDue(pair.clock.now())).queued).toBe(0);
    expect((await b.digests().runDue(pair.clock.now())).queued).toBe(0);
    await a.app.outbox.whenIdle();
    expect(digestsTo(pair, '777').map((d) => d.replica)).toEqual(['a']);
    expect(digestsTo(pair, '777')[0].text).toMatch(/BTC/);
  }, 60_000);

  it('a holder killed while sending a digest is replaced within one lease period; the digest arrives once', async () => {
    const { pair, a, b } = await twoReplicasWithDigestOnB();
    a.hang();
    expect((await a.digests().runDue(pair.clock.now())).queued).toBe(1);
    await a.app.outbox.flush();
    a.app.lease!.abandon();
    expect(digestsTo(pair, '777')).toEqual([]);

    expect(await pair.takeOver(b)).toBeLessThanOrEqual(TTL);
    // The new holder's catch-up pass (and any later one) finds the slot claimed.
    expect((await b.digests().runDue(pair.clock.now())).queued).toBe(0);
    await b.app.outbox.whenIdle();
    expect(digestsTo(pair, '777').map((d) => d.replica)).toEqual(['b']);
  }, 60_000);
});
