/**
 * The alert book when several replicas share one store: the rule and its crossing state are
 * stored apart (so a replica answering /alert never overwrites what the tick recorded) and
 * joined again on load, on SQLite and on Redis; a book sees other books' adds, pauses and
 * removals through sync, and a book that does not run the tick re-reads an owner's state.
 */
import { describe, expect, it } from 'vitest';
import { AlertBook } from '../../src/alerts/book.js';
import { AlertRepository } from '../../src/alerts/repository.js';
import { ownerKey } from '../../src/alerts/types.js';
import { NOW, rule } from './fixtures.js';
import { storeBackends, storePairs } from '../helpers/store-pairs.js';

const twoFactories = storePairs('book');
const backends = storeBackends('shared alert book');

function twoReplicas(backend: 'sqlite' | 'redis'): [AlertBook, AlertBook] {
  const [a, b] = twoFactories(backend);
  return [new AlertBook(new AlertRepository(a)), new AlertBook(new AlertRepository(b))];
}

const pending = (id: string) => ({ id, at: NOW, reply: { blocks: [{ kind: 'text' as const, text: id }] } });

describe.each(backends)('alert book shared through %s', (backend) => {
  it('keeps the rule and the tick state apart and joins them on load', async () => {
    const [holder, other] = twoReplicas(backend);
    await holder.load();
    holder.authoritative = true;
    const r = rule({}, { id: await holder.repo.allocateId() });
    await holder.insert(r);
    r.tracks = { binance: { from: undefined, state: undefined } };
    r.seq = 1;
    r.lastFiredAt = NOW;
    r.pending = [pending(`${r.id}:1`)];
    await holder.repo.saveState(r);
    // Another replica pauses it: only the rule part is written, the pending crossing stays.
    await other.load();
    await other.setStatus(other.rules.get(r.id)!, 'paused');
    const reloaded = new AlertBook(holder.repo);
    await reloaded.load();
    const back = reloaded.rules.get(r.id)!;
    expect(back.status).toBe('paused');
    expect(back.pending.map((p) => p.id)).toEqual([`${r.id}:1`]);
    expect(back.lastFiredAt).toBe(NOW);
    expect(back.seq).toBe(1);
  });

  it('a rule stored whole (before the split) keeps its pending crossing through a status change on another replica', async () => {
    const [a, b] = twoFactories(backend);
    await a.open('alerts').set('5', rule({}, { id: 5, seq: 1, lastFiredAt: NOW, pending: [pending('5:1')] }));
    const first = new AlertBook(new AlertRepository(a));
    await first.load();
    const other = new AlertBook(new AlertRepository(b));
    await other.load();
    await other.setStatus(other.rules.get(5)!, 'paused');
    const reloaded = new AlertBook(new AlertRepository(a));
    await reloaded.load();
    expect(reloaded.rules.get(5)?.status).toBe('paused');
    expect(reloaded.rules.get(5)?.pending.map((p) => p.id)).toEqual(['5:1']);
  });

  it('sync shows each book what the other added, paused and removed; a non-ticking book re-reads an owner', async () => {
    const [holder, other] = twoReplicas(backend);
    await holder.load();
    await other.load();
    holder.authoritative = true;
    const ids = await Promise.all([holder.repo.allocateId(), other.repo.allocateId(), other.repo.allocateId()]);
    expect(new Set(ids).size).toBe(3);
    const [x, y, z] = ids.map((id) => rule({}, { id }));
    await other.insert(x);
    await other.insert(y);
    await holder.insert(z);
    await holder.sync();
    expect([...holder.rules.keys()].sort()).toEqual([...ids].sort());
    expect(holder.index.size()).toBe(3);
    await other.setStatus(x, 'paused');
    await other.drop(y);
    await holder.sync();
    expect(holder.rules.get(x.id)?.status).toBe('paused');
    expect(holder.rules.has(y.id)).toBe(false);
    expect(holder.index.size()).toBe(1);
    // The holder records a crossing on z; the other book sees it when its owner asks.
    const held = holder.rules.get(z.id)!;
    held.pending = [pending(`${z.id}:1`)];
    await holder.repo.saveState(held);
    await other.sync();
    await other.refreshOwner(ownerKey(z.owner));
    expect(other.rules.get(z.id)?.pending.map((p) => p.id)).toEqual([`${z.id}:1`]);
  });
});
