/**
 * Slot claims on a shared store: two replicas running the same slot at once claim each chat
 * once between them (on SQLite and on Redis), a claim already made is not made again, and a
 * released claim can be taken by the next pass.
 */
import { describe, expect, it } from 'vitest';
import { claimSlot, releaseClaims } from '../../src/digests/slot-claims.js';
import type { SlotRecord } from '../../src/digests/types.js';
import { storeBackends, storePairs } from '../helpers/store-pairs.js';

const SLOT = Date.UTC(2026, 11, 1, 8, 0, 0);
const pairOf = storePairs('claims');
const backends = storeBackends('slot claims');

describe.each(backends)('digest slot claims on %s', (backend) => {
  const twoStores = () => pairOf(backend).map((factory) => factory.open<SlotRecord>('digest-slots'));
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
