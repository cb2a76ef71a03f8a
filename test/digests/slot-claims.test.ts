/**
 * Slot claims on a shared store: two replicas running the same slot at once claim each chat
 * once between them (on SQLite and on Redis), a claim already made is not made again, and a
 * released claim can be taken by the next pass.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { claimSlot, releaseClaims } from '../../src/digests/slot-claims.js';
import type { SlotRecord } from '../../src/digests/types.js';
import { createStoreFactory, type AtomicStoreFactory } from '../../src/store/index.js';
import { tempDataDir } from '../helpers/replay-app.js';

const redisUrl = process.env['REDIS_URL'];
if (!redisUrl) console.warn('slot claims: REDIS_URL is unset, so only SQLite runs (CI sets it)');
const backends = (['sqlite', 'redis'] as const).filter((backend) => backend === 'sqlite' || redisUrl);
const SLOT = Date.UTC(2026, 11, 1, 8, 0, 0);

const dirs: string[] = [];
const factories: AtomicStoreFactory[] = [];
afterAll(async () => {
  await Promise.all(factories.map((factory) => factory.close()));
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe.each(backends)('digest slot claims on %s', (backend) => {
  const twoStores = () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const prefix = `claims-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}:`;
    const url = backend === 'redis' ? redisUrl : undefined;
    const pair = [createStoreFactory({ dataDir, url, prefix }), createStoreFactory({ dataDir, url, prefix })];
    factories.push(...pair);
    return pair.map((factory) => factory.open<SlotRecord>('digest-slots'));
  };
  const chats = Array.from({ length: 30 }, (_, i) => `telegram:${i}`);
  const snapshot = { at: SLOT, assets: {} };

  it('two replicas claiming one slot at once share its chats without overlap', async () => {
    const [a, b] = twoStores();
    const claims = await Promise.all([claimSlot(a, SLOT, chats, [], snapshot), claimSlot(b, SLOT, [...chats].reverse(), [], snapshot)]);
    const both = [...claims[0].send, ...claims[1].send];
    expect(both.sort()).toEqual([...chats].sort());
    expect((await a.get(new Date(SLOT).toISOString()))?.sent.sort()).toEqual([...chats].sort());
    const again = await claimSlot(b, SLOT, chats, chats, snapshot);
    expect(again.send.size + again.skip.size).toBe(0);
  });

  it('a released claim is taken by the next pass, and only that one', async () => {
    const [a, b] = twoStores();
    await claimSlot(a, SLOT, chats.slice(0, 3), [], snapshot);
    await releaseClaims(a, SLOT, [chats[1]]);
    const next = await claimSlot(b, SLOT, chats.slice(0, 3), [], snapshot);
    expect([...next.send]).toEqual([chats[1]]);
  });
});
