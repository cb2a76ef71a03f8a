import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Target } from '../../src/core/adapter.js';
import type { Reply } from '../../src/core/reply.js';
import { Outbox } from '../../src/delivery/outbox.js';
import type { QueuedMessage } from '../../src/delivery/queued-message.js';
import { createStoreFactory, type KeyValueStore, type StoreFactory } from '../../src/store/index.js';
import { fakeSender, killableSender, silentLog, textReply } from './fake-sender.js';

const chat = (chatId: string): Target => ({ platform: 'telegram', chatId, kind: 'private' });
// Not a real PNG: the point is that arbitrary bytes (including 0x00 and 0xff) survive the round trip.
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x10, 0x0d, 0x0a, 0x1a, 0x0a, 0x7f]);
const withImage = (text: string): Reply => ({ ...textReply(text), title: 'chart', image: { name: 'curve-BTC.png', png, alt: 'BTC curve' } });

async function listEntries(store: KeyValueStore<QueuedMessage[]>) {
  const entries: [string, QueuedMessage[]][] = [];
  for await (const entry of store.entries()) entries.push(entry);
  return entries;
}

async function until(condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Outbox persistence on SQLite', () => {
  const dirs: string[] = [];
  const factories: StoreFactory[] = [];
  const openFactory = (dataDir: string) => {
    const factory = createStoreFactory({ dataDir });
    factories.push(factory);
    return factory;
  };
  afterEach(async () => {
    await Promise.all(factories.splice(0).map((factory) => factory.close()));
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-outbox-'));
    dirs.push(dir);
    return dir;
  };

  it('persists what could not be sent before the deadline and resends it, image included, after a restart', async () => {
    const dataDir = tempDir();
    const firstFactory = openFactory(dataDir);
    const firstSender = fakeSender({ latencyMs: 5 });
    const first = new Outbox({ senders: { telegram: firstSender }, store: firstFactory.open('outbox'), log: silentLog() });
    await first.start();
    first.enqueue(chat('A'), textReply('a1'));
    first.enqueue(chat('A'), withImage('a2'), { owner: 'digests' });
    first.enqueue(chat('A'), textReply('a3'));
    first.enqueue(chat('B'), textReply('b1'));
    // One message per chat per second: within 300 ms only a1 and b1 can go.
    await first.stop({ drain: true, timeoutMs: 300 });
    expect(firstSender.delivered.map((record) => record.text).sort()).toEqual(['a1', 'b1']);
    expect(first.stats()).toMatchObject({ state: 'stopped', queued: 0 });
    expect(first.enqueue(chat('A'), textReply('late'))).toMatchObject({ status: 'refused', code: 'stopped' });
    const stored = await listEntries(firstFactory.open<QueuedMessage[]>('outbox'));
    expect(stored.map(([key, messages]) => [key, messages.length])).toEqual([['telegram:A', 2]]);
    await firstFactory.close();
    factories.splice(factories.indexOf(firstFactory), 1);

    const secondFactory = openFactory(dataDir);
    const secondSender = fakeSender({ latencyMs: 5 });
    const second = new Outbox({
      senders: { telegram: secondSender },
      store: secondFactory.open('outbox'),
      log: silentLog(),
      limits: { platforms: { telegram: { perTarget: { limit: 10, windowMs: 1_000 } } } },
    });
    second.enqueue(chat('A'), textReply('a4'));
    await second.start();
    await until(() => secondSender.delivered.length === 3);
    expect(secondSender.delivered.map((record) => record.text)).toEqual(['a2', 'a3', 'a4']);
    const image = secondSender.delivered[0]!.image;
    expect(Buffer.isBuffer(image)).toBe(true);
    expect(image!.equals(png)).toBe(true);

    await second.stop({ drain: true, timeoutMs: 1_000 });
    expect(await listEntries(secondFactory.open<QueuedMessage[]>('outbox'))).toEqual([]);
  });

  it('writes through: a process dropped without stop() loses nothing, and the next one re-sends nothing accepted', async () => {
    const dataDir = tempDir();
    const firstFactory = openFactory(dataDir);
    const firstSender = killableSender();
    const first = new Outbox({ senders: { telegram: firstSender }, store: firstFactory.open('outbox'), log: silentLog() });
    await first.start();
    for (const text of ['k1', 'k2', 'k3']) first.enqueue(chat('K'), textReply(text), { owner: 'alerts', id: text });
    await until(() => firstSender.delivered.length === 1);
    await first.flush();
    // The "kill": no stop(); nothing more leaves this process and its store connection goes away.
    firstSender.kill();
    expect(firstSender.delivered.map((record) => record.text)).toEqual(['k1']);
    await firstFactory.close();
    factories.splice(factories.indexOf(firstFactory), 1);

    const secondFactory = openFactory(dataDir);
    const secondSender = fakeSender();
    const second = new Outbox({ senders: { telegram: secondSender }, store: secondFactory.open('outbox'), log: silentLog() });
    await second.start();
    await until(() => secondSender.delivered.length === 2);
    expect(secondSender.delivered.map((record) => record.text)).toEqual(['k2', 'k3']);
    await second.stop({ drain: true, timeoutMs: 1_000 });
    expect(await listEntries(secondFactory.open<QueuedMessage[]>('outbox'))).toEqual([]);
  });

  it('drains before persisting when there is time, leaving nothing in the store', async () => {
    const factory = openFactory(tempDir());
    const sender = fakeSender({ latencyMs: 20 });
    const outbox = new Outbox({ senders: { telegram: sender }, store: factory.open('outbox'), log: silentLog() });
    await outbox.start();
    for (const id of ['1', '2', '3']) outbox.enqueue(chat(id), textReply(`m${id}`));
    const startedAt = Date.now();
    await outbox.stop({ drain: true, timeoutMs: 5_000 });
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(sender.delivered).toHaveLength(3);
    expect(await listEntries(factory.open<QueuedMessage[]>('outbox'))).toEqual([]);
  });

  it('persists a queue that never started, without sending, when asked not to drain', async () => {
    const factory = openFactory(tempDir());
    const sender = fakeSender();
    const outbox = new Outbox({ senders: { telegram: sender }, store: factory.open('outbox'), log: silentLog() });
    outbox.enqueue(chat('Z'), withImage('z1'));
    await outbox.stop({ drain: false, timeoutMs: 1_000 });
    expect(sender.calls).toHaveLength(0);
    const [[key, messages]] = (await listEntries(factory.open<QueuedMessage[]>('outbox'))) as [[string, QueuedMessage[]]];
    expect(key).toBe('telegram:Z');
    expect(Buffer.from(messages[0]!.reply.image!.pngBase64, 'base64').equals(png)).toBe(true);
  });
});
