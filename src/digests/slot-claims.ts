/**
 * Claims on one slot's digests, so a digest is never sent twice even when two replicas run
 * the same slot (a holder that lost its term without noticing yet, and its successor). The
 * slot record is changed only by compare-and-set from what the store holds: a chat another
 * replica already claimed is dropped from this pass, and one write still covers every chat.
 * A claim whose digest the outbox then refused because this replica may no longer push is
 * released, so the next holder sends it (late) instead of the slot being lost.
 */
import { updateAtomically } from '../store/atomic-update.js';
import type { AtomicStore } from '../store/index.js';
import type { DigestSnapshot, SlotRecord } from './types.js';

export const slotKey = (slot: number): string => new Date(slot).toISOString();

export interface Claimed {
  record: SlotRecord;
  /** The chats this pass claimed to send and to skip (others were claimed elsewhere first). */
  send: Set<string>;
  skip: Set<string>;
}

/** Records `send` and `skip` in the slot's record, minus chats already in it; the record written. */
export function claimSlot(store: AtomicStore<SlotRecord>, slot: number, send: string[], skip: string[], snapshot: DigestSnapshot): Promise<Claimed> {
  return updateAtomically(store, slotKey(slot), (current) => {
    const taken = new Set([...(current?.sent ?? []), ...(current?.skipped ?? [])]);
    const mine = { send: send.filter((key) => !taken.has(key)), skip: skip.filter((key) => !taken.has(key)) };
    if (mine.send.length === 0 && mine.skip.length === 0 && current) return { result: { record: current, send: new Set(), skip: new Set() } };
    const record: SlotRecord = {
      at: slot,
      sent: [...(current?.sent ?? []), ...mine.send],
      skipped: [...(current?.skipped ?? []), ...mine.skip],
      snapshot: { at: slot, assets: { ...current?.snapshot.assets, ...snapshot.assets } },
    };
    return { write: record, result: { record, send: new Set(mine.send), skip: new Set(mine.skip) } };
  });
}

/** Takes chats out of the slot's `sent` list again (their digest was never queued). */
export async function releaseClaims(store: AtomicStore<SlotRecord>, slot: number, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const released = new Set(keys);
  await updateAtomically(store, slotKey(slot), (current) =>
    current ? { write: { ...current, sent: current.sent.filter((key) => !released.has(key)) }, result: undefined } : { result: undefined },
  );
}
