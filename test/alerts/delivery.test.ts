import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertBook } from '../../src/alerts/book.js';
import { CrossingDelivery } from '../../src/alerts/delivery.js';
import { AlertRepository } from '../../src/alerts/repository.js';
import type { PushService } from '../../src/delivery/push.js';
import type { EnqueueResult } from '../../src/delivery/outbox-types.js';
import { createStoreFactory, type AtomicStoreFactory } from '../../src/store/index.js';
import { tempDataDir } from '../helpers/replay-app.js';
import { NOW, rule } from './fixtures.js';

const reply = (text: string) => ({ blocks: [{ kind: 'text' as const, text }] });

describe('durable crossing delivery (real SQLite store)', () => {
  let dataDir: string;
  let stores: AtomicStoreFactory;
  let book: AlertBook;
  let answer: (id: string) => EnqueueResult;
  const enqueued: string[] = [];
  const storedAtEnqueue: Promise<string[] | undefined>[] = [];
  let delivery: CrossingDelivery;

  // The crossing state lives apart from the rule (only the tick's replica writes it): read it where the repository puts it.
  const storedPending = async (id: number) => (await new AlertRepository(stores).read(id))?.pending.map((p) => p.id);

  beforeEach(async () => {
    dataDir = tempDataDir();
    stores = createStoreFactory({ dataDir });
    book = new AlertBook(new AlertRepository(stores));
    await book.load();
    enqueued.length = 0;
    storedAtEnqueue.length = 0;
    answer = () => ({ status: 'queued', position: 1 });
    const push: PushService = {
      enqueue: (_target, _reply, meta) => {
        enqueued.push(meta!.id!);
        // A store read issued at the moment of the hand-over: the pending record must already be there.
        storedAtEnqueue.push(storedPending(Number(meta!.id!.split(':')[0])));
        return answer(meta!.id!);
      },
      isUnreachable: () => false,
      markReachable: () => undefined,
      canReach: async () => true,
    };
    delivery = new CrossingDelivery(book, push, () => NOW, { warn: () => undefined, info: () => undefined });
  });
  afterEach(async () => {
    await stores.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('saves the crossing as pending before the outbox sees it, and clears it when delivered', async () => {
    const r = rule({}, { id: 7 });
    await book.insert(r);
    await delivery.send(r, reply('crossed'));
    expect(enqueued).toEqual(['7:1']);
    expect(await Promise.all(storedAtEnqueue)).toEqual([['7:1']]);
    expect(await storedPending(7)).toEqual(['7:1']);
    await delivery.owner.delivered!('7:1', r.target);
    expect(await storedPending(7)).toEqual([]);
    await delivery.send(r, reply('again'));
    expect(enqueued).toEqual(['7:1', '7:2']);
  });

  it('a refused-for-now crossing (queue full) stays pending and is offered again until queued', async () => {
    const r = rule({}, { id: 8 });
    await book.insert(r);
    answer = () => ({ status: 'refused', code: 'queue-full', reason: 'full' });
    await delivery.send(r, reply('crossed'));
    answer = () => ({ status: 'queued', position: 1 });
    await delivery.resend(true);
    await delivery.resend(true);
    expect(enqueued).toEqual(['8:1', '8:1']);
    expect(await storedPending(8)).toEqual(['8:1']);
  });

  it('a message the platform rejects for good is dropped; a retired rule goes once its last message is out', async () => {
    const r = rule({}, { id: 9 });
    await book.insert(r);
    await delivery.send(r, reply('crossed'));
    await delivery.owner.rejected!('9:1', r.target, '400: message too long');
    expect(await storedPending(9)).toEqual([]);
    r.status = 'retired';
    await delivery.send(r, reply('retired'));
    expect(await storedPending(9)).toEqual(['9:2']);
    await delivery.owner.delivered!('9:2', r.target);
    expect(await storedPending(9)).toBeUndefined();
    expect(book.rules.has(9)).toBe(false);
  });

  it('an unreachable target pauses its active rules, drops their pending crossings and leaves a notice', async () => {
    const mine = rule({}, { id: 10 });
    const other = rule({}, { id: 11, owner: { platform: 'telegram', userId: '2' }, target: { platform: 'telegram', chatId: '2', kind: 'private' } });
    await book.insert(mine);
    await book.insert(other);
    answer = (id) => (id.startsWith('10:') ? { status: 'refused', code: 'unreachable', reason: '403 blocked' } : { status: 'queued', position: 1 });
    await delivery.send(mine, reply('crossed'));
    expect(book.rules.get(10)?.status).toBe('unreachable');
    expect(await storedPending(10)).toEqual([]);
    expect(book.rules.get(11)?.status).toBe('active');
    expect(await book.repo.takeNotice('console:console')).toMatchObject({ reason: '403 blocked' });
    expect(await book.repo.takeNotice('console:console')).toBeUndefined();
    expect(book.index.size()).toBe(1);
  });
});
