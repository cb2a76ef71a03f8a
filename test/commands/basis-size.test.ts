import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommandPayloads } from '../../src/adapters/discord/register.js';
import { COMMANDS } from '../../commands/index.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { ExecutableBasis } from '../../src/market/executable-basis.js';
import { HistoryService } from '../../src/market/history-service.js';
import { parseTakerFees } from '../../src/market/order-books.js';
import { dayStart, instrumentsAt, syntheticBook } from '../../src/market/replay/history.js';
import type { VenueId } from '../../src/market/types.js';
import { startReplayApp } from '../helpers/replay-app.js';
import { CALLER, startHistoryApp, type HistoryApp } from '../history/history-app.js';

/** `/basis <asset> size=<notional>` end to end: real ccxt on the replay's books, in each venue's own units. */

let h: HistoryApp;
beforeAll(async () => {
  h = await startHistoryApp();
});
afterAll(() => h.close());

const BOOK_PATHS = /depth|books|orderbook|get_order_book/;
const text = (result: Awaited<ReturnType<HistoryApp['ask']>>): string =>
  result!.reply.blocks.map((block) => (block.kind === 'table' ? (block.title ?? '') : 'text' in block ? block.text : '')).join('\n');

/** The replay's book of one instrument in USD per level, walked by hand: buy `usd` of spot, then sell those coins down the future's bids. */
function handWalk(venue: VenueId, asset: string, expiry: number, margin: string, usd: number) {
  const live = instrumentsAt(dayStart(h.app.now()), venue, h.app.now());
  const spot = syntheticBook(live.find((i) => i.asset === asset && i.kind === 'spot')!, 50);
  const future = syntheticBook(live.find((i) => i.asset === asset && i.kind === 'future' && i.margin === margin && i.expiry === expiry)!, 50);
  let [money, coins] = [0, 0];
  for (const [price, level] of spot.asks) {
    const take = Math.min(level, usd - money);
    if (take <= 0) break;
    money += take;
    coins += take / price;
  }
  let [sold, proceeds] = [0, 0];
  for (const [price, level] of future.bids) {
    const take = Math.min(level / price, coins - sold);
    if (take <= 0) break;
    sold += take;
    proceeds += take * price;
  }
  const mid = (book: typeof spot) => (book.bids[0][0] + book.asks[0][0]) / 2;
  return { spotVwap: money / coins, futureVwap: proceeds / sold, spotMid: mid(spot), futureMid: mid(future), money, proceeds };
}

describe('/basis BTC size=1m', () => {
  it('walks every venue\'s books: VWAPs, slippage and fees match a hand walk of the replay (okx linear in 0.01 BTC contracts, bybit inverse in USD)', async () => {
    const result = await h.ask('/basis BTC size=1m');
    expect(result?.ok).toBe(true);
    const executable = (result!.data as { executable: ExecutableBasis }).executable;
    expect(executable.notional).toBe(1e6);
    expect(new Set(executable.rows.map((row) => row.venue))).toEqual(new Set(['binance', 'okx', 'bybit', 'deribit']));
    const set = await h.app.services.market.curves('BTC');
    for (const [venue, margin] of [['okx', 'linear'], ['bybit', 'inverse'], ['binance', 'inverse']] as const) {
      const future = set.curves.find((curve) => curve.venue === venue)!.futures.filter((f) => f.margin === margin).at(-1)!;
      const row = executable.rows.find((r) => r.venue === venue && r.future === future.symbol)!;
      const e = row.execution;
      const hand = handWalk(venue, 'BTC', Date.parse(future.expiry), margin, 1e6);
      expect(e.complete, venue).toBe(true);
      // Venues count whole contracts or lot steps, so the replay rounds each level a little.
      expect(e.spotLeg.fill.vwap! / hand.spotVwap - 1).toBeCloseTo(0, 6);
      expect(e.futureLeg.fill.vwap! / hand.futureVwap - 1).toBeCloseTo(0, 5);
      expect(e.spotLeg.slippageBps).toBeCloseTo(((hand.spotVwap - hand.spotMid) / hand.spotMid) * 1e4, 1);
      expect(e.futureLeg.slippageBps).toBeCloseTo(((hand.futureMid - hand.futureVwap) / hand.futureMid) * 1e4, 1);
      expect(e.executableAnnualized).toBeCloseTo(((hand.futureVwap / hand.spotVwap - 1) * 365) / future.daysToExpiry, 4);
      expect(e.fees).toBeCloseTo(hand.money * e.spotLeg.feeRate + hand.proceeds * e.futureLeg.feeRate, -1);
      expect(row.feeSources).toEqual({ spot: 'venue', future: 'venue' });
      // Crossing the spread and paying fees leaves less than the mid promises.
      expect(e.netAnnualized).toBeLessThan(e.executableAnnualized);
      expect(e.executableAnnualized).toBeLessThan(e.quotedAnnualized);
    }
    expect(text(result)).toMatch(/okx: \$1,000,000 at taker prices, buy spot, sell the future$/m);
    expect(text(result)).toMatch(/okx spot BTC\/USDT bought at VWAP [\d,.]+ \(mid [\d,.]+, [\d.]+ bps slippage\)\. Taker fees: spot [\d.]+ bps, futures [\d.]+ bps \(ccxt's market data\)/);
  });

  it('a thin book (deribit BTC spot) says how much it could fill, and the JSON says so too', async () => {
    const result = await h.ask('/basis BTC deribit size=1m');
    const executable = (result!.data as { executable: ExecutableBasis }).executable;
    const spot = instrumentsAt(dayStart(h.app.now()), 'deribit', h.app.now()).find((i) => i.asset === 'BTC' && i.kind === 'spot')!;
    const depth = syntheticBook(spot, 50).asks.reduce((sum, [, usd]) => sum + usd, 0);
    expect(executable.rows.length).toBeGreaterThan(0);
    for (const row of executable.rows) {
      expect(row.execution.complete).toBe(false);
      expect(row.execution.fillableNotional / depth).toBeCloseTo(1, 2);
    }
    expect(text(result)).toMatch(/deribit: the books are too thin for \$1,000,000 on \d+ of \d+ contracts; it could only fill about \$[\d,]+/);
  });

  it('backwardation (SOL) trades the other way: sell spot at the bids, buy the future at the asks', async () => {
    const result = await h.ask('/basis SOL okx size=250k');
    const rows = (result!.data as { executable: ExecutableBasis }).executable.rows;
    expect(rows.length).toBeGreaterThan(0);
    for (const { execution: e } of rows) {
      expect(e.direction).toBe('reverse cash-and-carry');
      expect([e.spotLeg.side, e.futureLeg.side]).toEqual(['sell', 'buy']);
      expect(e.spotLeg.fill.vwap!).toBeLessThan(e.spotLeg.mid);
      expect(e.futureLeg.fill.vwap!).toBeGreaterThan(e.futureLeg.mid);
    }
    expect(text(result)).toMatch(/at taker prices, sell spot, buy the future$/m);
  });
});

describe('taker fees overridden in config', () => {
  it('replace ccxt\'s, are named as such, and cost the net carry exactly their difference', async () => {
    const overrides = parseTakerFees('okx=0.2%/0.07%');
    if ('error' in overrides) throw new Error(overrides.error);
    const original = h.app.services.history;
    const before = (await h.ask('/basis BTC okx size=250k'))!.data as { executable: ExecutableBasis };
    h.app.services.history = new HistoryService({ catalog: h.catalog, stores: h.app.stores, now: h.app.now, log: h.app.log, takerFees: overrides });
    try {
      const result = await h.ask('/basis BTC okx size=250k');
      const after = (result!.data as { executable: ExecutableBasis }).executable;
      const row = after.rows.at(-1)!;
      expect(row.execution.spotLeg.feeRate).toBeCloseTo(0.002, 15);
      expect(row.execution.futureLeg.feeRate).toBeCloseTo(0.0007, 15);
      expect(row.feeSources).toEqual({ spot: 'config', future: 'config' });
      expect(text(result)).toMatch(/Taker fees: spot 20\.0 bps, futures 7\.0 bps \(from config\)/);
      const old = before.executable.rows.find((r) => r.future === row.future)!.execution;
      const e = row.execution;
      const feeDelta = (e.spotLeg.feeRate - old.spotLeg.feeRate) + ((e.futureLeg.feeRate - old.futureLeg.feeRate) * e.futureLeg.fill.vwap!) / e.spotLeg.fill.vwap!;
      const days = (await h.app.services.market.curves('BTC', 'okx')).curves[0].futures.find((f) => f.symbol === row.future)!.daysToExpiry;
      expect(old.netAnnualized - e.netAnnualized).toBeCloseTo((feeDelta * 365) / days, 6);
    } finally {
      h.app.services.history = original;
    }
  });

  it('parses per venue, one rate for both legs or spot/derivatives, and names a bad entry', () => {
    expect(parseTakerFees('binance=0.075%/0.04%, okx=0.0005')).toEqual({ binance: { spot: 0.00075, derivative: 0.0004 }, okx: { spot: 0.0005, derivative: 0.0005 } });
    expect(parseTakerFees('kraken=0.1%')).toMatchObject({ error: expect.stringContaining('kraken') });
    expect(parseTakerFees('okx=10%')).toMatchObject({ error: expect.stringContaining('between 0 and 5%') });
    expect(parseTakerFees('okx=cheap')).toMatchObject({ error: expect.stringContaining('okx=cheap') });
  });
});

describe('TAKER_FEES in the environment', () => {
  it('parses into config.takerFees, and a bad value is one line naming the variable and what is valid', () => {
    expect(loadConfig({}).takerFees).toEqual({});
    expect(loadConfig({ TAKER_FEES: 'binance=0.1%/0.04%, okx=0.05%' }).takerFees).toEqual({ binance: { spot: 0.001, derivative: 0.0004 }, okx: { spot: 0.0005, derivative: 0.0005 } });
    for (const [raw, why] of [['okx=10%', /between 0 and 5%/], ['kraken=0.1%', /kraken.*venues: binance, okx, bybit, deribit/], ['binance:0.1', /binance:0\.1/]] as const) {
      let error: unknown;
      try {
        loadConfig({ TAKER_FEES: raw });
      } catch (caught) {
        error = caught;
      }
      expect(error, raw).toBeInstanceOf(ConfigError);
      const line = (error as Error).message.split('\n').find((text) => text.includes('TAKER_FEES'))!;
      expect(line, raw).toMatch(why);
      expect(line, raw).toMatch(/TAKER_FEES: .*such as binance=0\.1%\/0\.04%,okx=0\.05%/);
    }
  });

  it('changes the executable figures of /basis BTC size=1m on the configured venues only, by exactly the fee difference', async () => {
    // One frozen clock for both apps, so days to expiry (and the books) are the same in both runs.
    const at = Date.now();
    const clock = () => at;
    const plainApp = await startReplayApp({ server: { clock } });
    const configured = await startReplayApp({ existingServer: plainApp.server, server: { clock }, env: { TAKER_FEES: 'binance=0.3%/0.1%,okx=0.2%/0.07%' } });
    try {
      const plain = ((await plainApp.app.dispatcher.handleText('/basis BTC size=1m', CALLER))!.data as { executable: ExecutableBasis }).executable;
      const result = await configured.app.dispatcher.handleText('/basis BTC size=1m', CALLER);
      const overridden = (result!.data as { executable: ExecutableBasis }).executable;
      expect(overridden.rows.map((row) => row.future).sort()).toEqual(plain.rows.map((row) => row.future).sort());
      const set = await plainApp.app.services.market.curves('BTC');
      const expected = { binance: [0.003, 0.001], okx: [0.002, 0.0007] } as Record<string, [number, number]>;
      let changed = 0;
      for (const row of overridden.rows) {
        const old = plain.rows.find((r) => r.venue === row.venue && r.future === row.future)!.execution;
        const e = row.execution;
        // The books are the same: only the fees move.
        expect(e.spotLeg.fill.vwap).toBe(old.spotLeg.fill.vwap);
        expect(e.executableAnnualized).toBe(old.executableAnnualized);
        const fees = expected[row.venue];
        if (!fees) {
          expect(row.feeSources, row.venue).toEqual({ spot: 'venue', future: 'venue' });
          expect(e.netAnnualized).toBe(old.netAnnualized);
          continue;
        }
        changed += 1;
        expect(row.feeSources, row.venue).toEqual({ spot: 'config', future: 'config' });
        expect(e.spotLeg.feeRate).toBeCloseTo(fees[0], 15);
        expect(e.futureLeg.feeRate).toBeCloseTo(fees[1], 15);
        const feeDelta = e.spotLeg.feeRate - old.spotLeg.feeRate + ((e.futureLeg.feeRate - old.futureLeg.feeRate) * e.futureLeg.fill.vwap!) / e.spotLeg.fill.vwap!;
        const days = set.curves.find((curve) => curve.venue === row.venue)!.futures.find((f) => f.symbol === row.future)!.daysToExpiry;
        expect(old.netAnnualized - e.netAnnualized, `${row.venue} ${row.future}`).toBeCloseTo((feeDelta * 365) / days, 9);
      }
      expect(changed).toBeGreaterThanOrEqual(2);
      expect(text(result)).toMatch(/Taker fees: spot 30\.0 bps, futures 10\.0 bps \(from config\)/);
    } finally {
      await configured.close();
      await plainApp.close();
    }
  });
});

describe('size= is parsed before any venue is asked', () => {
  it.each(['lots', '0', '-5k', '1e3', '20b', '1.5.5m'])('refuses size=%s with an example', async (size) => {
    h.server.resetStats();
    const result = await h.ask(`/basis BTC size=${size}`);
    expect(result?.ok).toBe(false);
    expect(result!.reply.blocks.map((block) => ('text' in block ? block.text : '')).join(' ')).toMatch(/size must be a USD amount .*such as 250k, 1m or 1\.5m.*Example: \/basis BTC size=1m/s);
    expect(Object.keys(h.server.stats().byPath)).toEqual([]);
  });

  it('accepts 250k, 1m and 1.5m, and is never answered from cache alone when a size is given', async () => {
    await h.ask('/basis ETH okx');
    const basis = COMMANDS.find((command) => command.name === 'basis')!;
    const ctx = { services: h.app.services, now: h.app.now };
    expect(basis.isCached!({ asset: 'ETH', venue: 'okx' }, ctx)).toBe(true);
    expect(basis.isCached!({ asset: 'ETH', venue: 'okx', size: '1m' }, ctx)).toBe(false);
    for (const [size, notional] of [['250k', 250_000], ['1m', 1e6], ['1.5m', 1.5e6]] as const) {
      h.server.resetStats();
      const result = await h.app.dispatcher.handleText(`/basis ETH okx size=${size}`, CALLER);
      expect((result!.data as { executable: ExecutableBasis }).executable.notional).toBe(notional);
      // One book per instrument (spot once, then each future), never from a cache.
      const books = Object.entries(h.server.stats().byPath).filter(([path]) => BOOK_PATHS.test(path)).reduce((sum, [, count]) => sum + count, 0);
      const set = await h.app.services.market.curves('ETH', 'okx');
      expect(books).toBe(1 + set.curves[0].futures.length);
    }
  });

  it('Discord registers size as an optional string option of /basis', () => {
    const payload = buildCommandPayloads(COMMANDS).find((command) => command.name === 'basis')!;
    expect(payload.options).toContainEqual(expect.objectContaining({ name: 'size', type: 3, required: false }));
  });
});
