/**
 * Two app instances on one Redis, on one clock the test moves: only the lease holder pushes,
 * both answer, and when the holder dies (no release, its sender hung mid-send) the other
 * takes over within one lease period and sends what was queued, once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Target } from '../../src/core/adapter.js';
import type { Reply } from '../../src/core/reply.js';
import { replicaPair, TTL, type ReplicaPair } from './replica-pair.js';

const redisUrl = process.env['REDIS_URL'];
if (!redisUrl) console.warn('two replicas: REDIS_URL is unset, skipped (CI sets it)');
let pair: ReplicaPair | undefined;
afterAll(async () => pair?.close());

describe.skipIf(!redisUrl)('two replicas on one Redis', () => {
  it('only the holder sends; a dead holder is replaced within one period and nothing is lost or doubled', async () => {
    pair = await replicaPair(redisUrl!, Date.now());
    const { a, b } = await pair.startTwo();
    expect(a.app.lease?.leading).toBe(true);
    expect(b.app.lease?.leading).toBe(false);
    const delivered = () => pair!.delivered.map((d) => `${d.replica}:${d.text}`);

    const target: Target = { platform: 'telegram', chatId: '42', kind: 'private' };
    const text = (n: number): Reply => ({ blocks: [{ kind: 'text', text: `m${n}` }] }) as unknown as Reply;
    // A replica without the lease refuses to push (its feature keeps the item pending).
    expect(b.app.services.push!.enqueue(target, text(0), { owner: 'test', id: '0' }).status).toBe('refused');
    expect(a.app.services.push!.enqueue(target, text(1), { owner: 'test', id: '1' }).status).toBe('queued');
    await a.app.outbox.whenIdle();
    expect(delivered()).toEqual(['a:m1']);

    // a dies: its sends hang, it never renews or releases; what it queued is in the store.
    a.hang();
    a.app.outbox.enqueue(target, text(2), { owner: 'test', id: '2' });
    a.app.outbox.enqueue(target, text(3), { owner: 'test', id: '3' });
    await a.app.outbox.flush();
    a.app.lease!.abandon();

    expect(await pair.takeOver(b)).toBeLessThanOrEqual(TTL);
    await b.app.outbox.whenIdle();
    // m2 was on the wire at a's death with no answer: at least once means b sends it again.
    expect(delivered()).toEqual(['a:m1', 'b:m2', 'b:m3']);
    // a wakes up as a zombie: its lane may not send any more.
    expect(a.app.lease!.leading).toBe(true); // it never noticed...
    expect(b.app.services.push!.enqueue(target, text(4), { owner: 'test', id: '4' }).status).toBe('queued');
    await b.app.outbox.whenIdle();
    expect(delivered().filter((line) => line.startsWith('a:'))).toEqual(['a:m1']);
  }, 30_000);
});
