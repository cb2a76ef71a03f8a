import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ShiftTable } from '../../../src/market/replay/shift.js';
import { loadBundledUniverse } from '../../../src/market/replay/universe-builder.js';
import type { CurveSet } from '../../../src/market/types.js';
import { startReplayApp, type ReplayApp } from '../../helpers/replay-app.js';

const front = (set: CurveSet) => Object.fromEntries(set.curves.filter((c) => c.futures.length).map((c) => [c.venue, c.futures[0].annualizedRate]));
const funding = (set: CurveSet) => Object.fromEntries(set.curves.filter((c) => c.perp?.funding).map((c) => [c.venue, c.perp!.funding!.annualizedRate]));

describe('replay market moves, read back through the real ccxt', () => {
  let now = Date.parse('2026-12-01T12:00:00Z');
  let replay: ReplayApp;
  const fresh = async (): Promise<CurveSet> => {
    now += 10_000; // past the quote cache
    return replay.app.market.curves('SOL');
  };

  beforeAll(async () => {
    replay = await startReplayApp({ server: { clock: () => now } });
  });
  afterEach(() => replay.server.resetShifts());
  afterAll(() => replay.close());

  it('shift({ apr }) adds annualized points to every future on every venue; other assets stay put', async () => {
    const before = front(await fresh());
    const btcBefore = front(await replay.app.market.curves('BTC'));
    replay.server.shift({ asset: 'SOL', apr: 0.2 });
    const after = front(await fresh());
    expect(Object.keys(after).sort()).toEqual(['binance', 'okx']);
    for (const venue of Object.keys(before)) expect(after[venue] - before[venue], venue).toBeCloseTo(0.2, 3);
    const btcAfter = front(await replay.app.market.curves('BTC'));
    for (const venue of Object.keys(btcBefore)) expect(btcAfter[venue], venue).toBeCloseTo(btcBefore[venue], 4);
    replay.server.resetShifts();
    const back = front(await fresh());
    for (const venue of Object.keys(before)) expect(back[venue]).toBeCloseTo(before[venue], 4);
  });

  it('a venue shift and an all-venue shift add up; funding shifts move the annualized perp funding', async () => {
    const base = await fresh();
    replay.server.shift({ asset: 'SOL', apr: 0.1 });
    replay.server.shift({ asset: 'SOL', venue: 'okx', apr: 0.05, funding: 0.3 });
    const moved = await fresh();
    expect(front(moved).okx - front(base).okx).toBeCloseTo(0.15, 3);
    expect(front(moved).binance - front(base).binance).toBeCloseTo(0.1, 3);
    expect(funding(moved).okx - funding(base).okx).toBeCloseTo(0.3, 4);
    expect(funding(moved).binance).toBeCloseTo(funding(base).binance, 6);
    replay.server.resetShifts();
  });

  it('POST /__replay/shift does the same over HTTP, refuses a bad body naming the field, DELETE resets', async () => {
    const base = await fresh();
    const post = (body: unknown) => fetch(`${replay.server.url}/__replay/shift`, { method: 'POST', body: JSON.stringify(body) });
    const ok = await post({ asset: 'sol', funding: -0.5 });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ shifts: [{ asset: 'SOL', apr: 0, funding: -0.5 }] });
    const moved = await fresh();
    for (const venue of Object.keys(funding(base))) expect(funding(moved)[venue] - funding(base)[venue], venue).toBeCloseTo(-0.5, 4);
    const bad = await post({ asset: 'SOL', apr: 'lots' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/^apr must be a fraction/);
    expect((await post({ asset: 'SOL', venue: 'kraken', apr: 0.1 })).status).toBe(400);
    expect((await fetch(`${replay.server.url}/__replay/shift`, { method: 'DELETE' })).status).toBe(200);
    expect(funding(await fresh())).toEqual(funding(base));
    expect(() => replay.server.shift({ asset: 'SOL' })).toThrow(/apr and\/or funding/);
  });

  it('applies on top of the universe without changing it (the server caches the base per second)', () => {
    const universe = loadBundledUniverse()(now);
    const copy = structuredClone(universe);
    const table = new ShiftTable();
    table.set({ asset: 'SOL', apr: 0.3 });
    const shifted = table.apply(universe);
    expect(universe).toEqual(copy);
    const changed = shifted.instruments.filter((instrument, i) => instrument !== universe.instruments[i]);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((instrument) => instrument.asset === 'SOL' && instrument.kind === 'future')).toBe(true);
  });
});
