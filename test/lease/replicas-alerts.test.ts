/**
 * Alerts on two replicas of the real app sharing one Redis: any replica answers /alert, the
 * lease holder ticks and sees rules the other one added, ids never collide, and a holder that
 * dies mid-send is replaced within one lease period with the crossing delivered exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FRESH_QUOTES_MS, replicaPair, telegramUser, TTL, type Replica, type ReplicaPair } from './replica-pair.js';

const redisUrl = process.env['REDIS_URL'];
if (!redisUrl) console.warn('replicas (alerts): REDIS_URL is unset, skipped (CI sets it; try REDIS_URL=redis://127.0.0.1:6379)');

let pair: ReplicaPair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

async function twoReplicas(): Promise<{ pair: ReplicaPair; a: Replica; b: Replica }> {
  pair = await replicaPair(redisUrl!);
  return { pair, ...(await pair.startTwo()) };
}

/** Moves every venue's SOL premium up by enough that the front contracts sit well above 0%. */
async function solCrossesAbove(pair: ReplicaPair): Promise<void> {
  pair.server.shift({ asset: 'SOL', apr: 0.3 });
  await pair.advance(FRESH_QUOTES_MS);
}

async function tick(holder: Replica): Promise<void> {
  await holder.alerts().tick();
  await holder.app.outbox.whenIdle();
}

const crossings = (pair: ReplicaPair) => pair.delivered.filter((d) => /went above/.test(d.text));

/** `b` takes the lease within one period and sends the crossing once; its own next tick does not fire it again. */
async function expectOneCrossingAfterTakeover(pair: ReplicaPair, b: Replica, chatId: string): Promise<void> {
  expect(await pair.takeOver(b)).toBeLessThanOrEqual(TTL);
  await b.app.outbox.whenIdle();
  expect(crossings(pair).map((d) => [d.replica, d.target.chatId])).toEqual([['b', chatId]]);
  await pair.advance(FRESH_QUOTES_MS);
  await tick(b);
  expect(crossings(pair)).toHaveLength(1);
}

describe.skipIf(!redisUrl)('alerts on two replicas on one Redis', () => {
  it('a rule added on the replica without the lease is evaluated by the holder and delivered once', async () => {
    const { pair, a, b } = await twoReplicas();
    const added = await b.say('/alert add SOL apr above 0%', telegramUser('1001'));
    expect(added.ok, added.text).toBe(true);
    await tick(a);
    expect(pair.delivered).toEqual([]);

    await solCrossesAbove(pair);
    await tick(a);
    expect(crossings(pair).map((d) => [d.replica, d.target.chatId])).toEqual([['a', '1001']]);
    // The replica without the lease never pushes, even if its tick were run by mistake.
    await b.alerts().tick();
    await b.app.outbox.whenIdle();
    await pair.advance(FRESH_QUOTES_MS);
    await tick(a);
    expect(crossings(pair)).toHaveLength(1);
    // b answers /alert list with the state the holder recorded.
    expect((await b.say('/alert list', telegramUser('1001'))).text).toMatch(/fired at|cooling down/);
  }, 60_000);

  it('concurrent /alert add on both replicas hands out distinct ids, and the holder sees every rule', async () => {
    const { a, b } = await twoReplicas();
    const adds = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).say(`/alert add BTC funding above ${i + 40}%`, telegramUser(`2${i}`)));
    const results = await Promise.all(adds);
    for (const result of results) expect(result.ok, result.text).toBe(true);
    const ids = results.map((result) => (result.data as { id: number }).id);
    expect(new Set(ids).size).toBe(12);
    await a.alerts().tick();
    expect(a.alerts().rules().map((rule) => rule.id).sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
    // A pause on b reaches the holder's book before its next tick; a removal too.
    expect((await b.say(`/alert pause ${ids[0]}`, telegramUser('20'))).ok).toBe(true);
    expect((await b.say(`/alert remove ${ids[1]}`, telegramUser('21'))).ok).toBe(true);
    await a.alerts().tick();
    expect(a.alerts().rules().find((rule) => rule.id === ids[0])?.status).toBe('paused');
    expect(a.alerts().rules().some((rule) => rule.id === ids[1])).toBe(false);
  }, 60_000);

  it('a holder killed mid-send is replaced within one lease period and the crossing arrives exactly once', async () => {
    const { pair, a, b } = await twoReplicas();
    expect((await a.say('/alert add SOL apr above 0%', telegramUser('3001'))).ok).toBe(true);
    await tick(a);
    await solCrossesAbove(pair);
    // a records the crossing, queues it and dies with it on the wire: no answer, no renewal, no release.
    a.hang();
    await a.alerts().tick();
    await a.app.outbox.flush();
    a.app.lease!.abandon();
    expect(crossings(pair)).toEqual([]);

    await expectOneCrossingAfterTakeover(pair, b, '3001');
  }, 60_000);

  it('a crossing the old holder recorded but never queued is sent by the next holder, once', async () => {
    const { pair, a, b } = await twoReplicas();
    expect((await b.say('/alert add SOL apr above 0%', telegramUser('4001'))).ok).toBe(true);
    await tick(a);
    await solCrossesAbove(pair);
    // a's outbox is gone (its process is shutting down): the crossing stays pending in the store.
    await a.app.outbox.stop({ drain: false, timeoutMs: 100 });
    await a.alerts().tick();
    a.app.lease!.abandon();
    expect(crossings(pair)).toEqual([]);

    await expectOneCrossingAfterTakeover(pair, b, '4001');
  }, 60_000);
});
