import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CarryRow } from '../../src/render/carry.js';
import { parseNotional, queryExecutableBasis } from '../../src/market/executable-basis.js';
import { executableSection } from '../../src/render/executable.js';
import { dailyCandles, dayStart, DAY_MS, fundingEvents, instrumentsAt, syntheticBook } from '../../src/market/replay/history.js';
import { SUPPORTED_VENUES } from '../../src/market/types.js';
import { startHistoryApp, type HistoryApp } from './history-app.js';

/** /history and /carry through a Dispatcher on the real app, real ccxt, the replay's wire formats. */

interface HistoryData {
  venues: { venue: string; today?: { annualized: number }; percentile?: number; highest?: { date: string; value: number }; lowest?: { date: string; value: number }; series: { date: string; value: number }[] }[];
  failures: { venue: string; error: string }[];
}

const OHLCV_PATHS = /klines|candles|market\/kline|tradingview/;
let h: HistoryApp;

beforeAll(async () => {
  h = await startHistoryApp();
});
afterAll(() => h.close());

function text(result: Awaited<ReturnType<HistoryApp['ask']>>): string {
  return result!.reply.blocks.map((block) => ('text' in block ? block.text : '')).join('\n');
}

describe('/history', () => {
  it('SOL 30d answers for every venue: a level and its rank where futures exist, the others named', async () => {
    const result = await h.ask('/history SOL 30d');
    expect(result?.ok).toBe(true);
    const data = result!.data as HistoryData;
    expect(data.venues.map((venue) => venue.venue).sort()).toEqual([...SUPPORTED_VENUES].sort());
    for (const venue of data.venues.filter((v) => v.venue === 'binance' || v.venue === 'okx')) {
      expect(venue.series).toHaveLength(30);
      expect(venue.percentile).toBeGreaterThanOrEqual(0);
      expect(venue.percentile).toBeLessThanOrEqual(100);
      expect(venue.highest!.value).toBeGreaterThanOrEqual(venue.today!.annualized);
      expect(venue.lowest!.value).toBeLessThanOrEqual(venue.today!.annualized);
      // SOL is in backwardation in the replay.
      expect(venue.today!.annualized).toBeLessThan(0);
    }
    expect(text(result)).toMatch(/bybit lists no dated SOL futures/);
    expect(text(result)).toMatch(/deribit lists no dated SOL futures/);
    expect(result!.reply.image!.png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('one venue at a time, each answers on its own', async () => {
    for (const venue of SUPPORTED_VENUES) {
      const result = await h.ask(`/history SOL 30d ${venue}`);
      expect(result?.ok, venue).toBe(true);
      expect((result!.data as HistoryData).venues.map((v) => v.venue)).toEqual([venue]);
    }
  });

  it("a day's 30-day basis is the replay's candles interpolated by hand", async () => {
    const data = (await h.ask('/history SOL 30d binance'))!.data as HistoryData;
    const now = h.app.now();
    const day = dayStart(now) - 5 * DAY_MS;
    const close = (match: (i: { kind: string; asset: string; expiry?: number; margin: string }) => boolean) =>
      dailyCandles(now, 'binance', (i) => i.asset === 'SOL' && match(i), day, day)[0]?.close;
    const spot = close((i) => i.kind === 'spot')!;
    // binance lists SOL inverse quarterlies only: those alive at that day's close, with their basis.
    const points = instrumentsAt(dayStart(now), 'binance', day + DAY_MS)
      .filter((i) => i.asset === 'SOL' && i.kind === 'future')
      .map((i) => {
        const days = (i.expiry! - (day + DAY_MS)) / DAY_MS;
        return { days, annualized: ((close((j) => j.kind === 'future' && j.expiry === i.expiry)! / spot - 1) * 365) / days };
      })
      .sort((a, b) => a.days - b.days);
    const above = points.findIndex((p) => p.days > 30);
    const expected =
      above > 0 ? points[above - 1].annualized + ((points[above].annualized - points[above - 1].annualized) * (30 - points[above - 1].days)) / (points[above].days - points[above - 1].days) : points[Math.max(0, above)].annualized;
    const held = data.venues[0].series.find((p) => p.date === new Date(day).toISOString().slice(0, 10))!;
    expect(held.value).toBeCloseTo(expected, 12);
  });

  it('a longer window asks only for the days not yet held: one candle request per contract', async () => {
    await h.ask('/history ETH 7d okx');
    h.server.resetStats();
    expect((await h.ask('/history ETH 30d okx'))?.ok).toBe(true);
    const candleRequests = Object.entries(h.server.stats().byPath).reduce((sum, [path, count]) => sum + (OHLCV_PATHS.test(path) ? count : 0), 0);
    // okx: ETH spot plus its dated futures (live and expired) inside 30 days, each asked once for the 23 older days.
    const held = await h.history.history('ETH', 30, 'okx');
    expect(candleRequests).toBe(1 + held.venues[0].contracts.length);
  });

  it('asks no venue for candles of days already held', async () => {
    await h.ask('/history SOL 30d');
    h.server.resetStats();
    const again = await h.ask('/history SOL 30d');
    expect(again?.ok).toBe(true);
    // Every venue still answers with every day: nothing was skipped to save requests.
    const data = again!.data as HistoryData;
    expect(data.failures).toEqual([]);
    expect(data.venues.map((venue) => venue.series.length)).toEqual(data.venues.map((venue) => (venue.venue === 'binance' || venue.venue === 'okx' ? 30 : 0)));
    const paths = Object.keys(h.server.stats().byPath);
    expect(paths.filter((path) => OHLCV_PATHS.test(path))).toEqual([]);
    expect(paths.filter((path) => /funding.*history|fundingRate$|funding_rate_history/.test(path))).toEqual([]);
  });
});

describe('/carry', () => {
  it('BTC: per future, lock vs roll at funding now and the 7-day average, break-even = the annualized basis', async () => {
    const result = await h.ask('/carry BTC');
    expect(result?.ok).toBe(true);
    const rows = (result!.data as { rows: CarryRow[] }).rows;
    expect(new Set(rows.map((row) => row.venue))).toEqual(new Set(SUPPORTED_VENUES));
    const set = await h.app.services.market.curves('BTC', 'binance');
    const front = set.curves[0].futures[0];
    const row = rows.find((r) => r.venue === 'binance' && r.symbol === front.symbol)!;
    // The curve is read a moment later, so days to expiry moved by milliseconds: 1e-6 is plenty.
    expect(row.comparison.breakEvenFunding).toBeCloseTo(front.annualizedRate, 6);
    expect(row.comparison.direction).toBe('cash-and-carry');
    // Trailing 7 days of binance's BTCUSDT settlements in the replay, annualized at 8h.
    const now = h.app.now();
    const events = fundingEvents(now, 'binance', (i) => i.asset === 'BTC' && i.kind === 'perp' && i.quote === 'USDT', dayStart(now) - 7 * DAY_MS, dayStart(now) - 1);
    const average = events.reduce((sum, event) => sum + event.rate * 1095, 0) / events.length;
    expect(row.comparison.trailing!.funding).toBeCloseTo(average, 10);
    expect(text(result)).toMatch(/Best lock|rolling the perp pays more/);
  });

  it('SOL without borrow= warns that the borrow cost of the short spot leg is unknown', async () => {
    const result = await h.ask('/carry SOL okx');
    expect(text(result)).toMatch(/borrowing it is unknown here: taken as 0/);
    const withBorrow = await h.ask('/carry SOL okx borrow=8%');
    expect((withBorrow!.data as { borrowApr: number }).borrowApr).toBeCloseTo(0.08, 12);
  });
});

describe('executable basis (/basis <asset> size=)', () => {
  it('parses sizes in USD', () => {
    expect(parseNotional('1m')).toBe(1e6);
    expect(parseNotional('250k')).toBe(250_000);
    expect(parseNotional('$1.5M')).toBe(1.5e6);
    expect(parseNotional('-5k')).toBeUndefined();
  });

  it('BTC size=1m on binance matches a hand walk of the replay books', async () => {
    const set = await h.app.services.market.curves('BTC', 'binance');
    const result = await queryExecutableBasis(h.history, set, 1e6);
    const future = set.curves[0].futures.find((f) => f.margin === 'inverse')!;
    const row = result.rows.find((r) => r.future === future.symbol)!;
    const live = instrumentsAt(dayStart(Date.now()), 'binance', Date.now());
    const spotBook = syntheticBook(live.find((i) => i.asset === 'BTC' && i.kind === 'spot')!, 50);
    const futureBook = syntheticBook(live.find((i) => i.asset === 'BTC' && i.kind === 'future' && i.margin === 'inverse' && i.expiry === Date.parse(future.expiry))!, 50);
    // By hand: buy $1m of spot up the asks, then sell those coins down the future's bids.
    let [money, coins] = [0, 0];
    for (const [price, usd] of spotBook.asks) {
      const take = Math.min(usd, 1e6 - money);
      if (take <= 0) break;
      money += take;
      coins += take / price;
    }
    let [sold, proceeds] = [0, 0];
    for (const [price, usd] of futureBook.bids) {
      const take = Math.min(usd / price, coins - sold);
      if (take <= 0) break;
      sold += take;
      proceeds += take * price;
    }
    const [spotVwap, futureVwap] = [money / coins, proceeds / sold];
    expect(row.execution.complete).toBe(true);
    expect(row.execution.spotLeg.fill.vwap! / spotVwap - 1).toBeCloseTo(0, 7);
    expect(row.execution.futureLeg.fill.vwap! / futureVwap - 1).toBeCloseTo(0, 7);
    expect(row.execution.executableAnnualized).toBeCloseTo(((futureVwap / spotVwap - 1) * 365) / future.daysToExpiry, 5);
    // Walking the book costs carry against the mid.
    expect(row.execution.executableAnnualized).toBeLessThan(row.execution.quotedAnnualized);
  });

  it('a thin book (deribit BTC spot) says how much could fill', async () => {
    const set = await h.app.services.market.curves('BTC', 'deribit');
    const result = await queryExecutableBasis(h.history, set, 1e6);
    const spot = instrumentsAt(dayStart(Date.now()), 'deribit', Date.now()).find((i) => i.asset === 'BTC' && i.kind === 'spot')!;
    const depth = syntheticBook(spot, 50).asks.reduce((sum, [, usd]) => sum + usd, 0);
    expect(depth).toBeLessThan(1e6);
    for (const row of result.rows) {
      expect(row.execution.complete).toBe(false);
      expect(row.execution.fillableNotional / depth).toBeCloseTo(1, 2);
    }
  });
});

describe('executableSection (what /basis size= appends)', () => {
  it('renders a table per venue, names the thin books, refuses a bad size', async () => {
    const set = await h.app.services.market.curves('BTC');
    const section = await executableSection(h.history, set, '1m');
    if ('error' in section) throw new Error('expected a section');
    const titles = section.blocks.flatMap((block) => (block.kind === 'table' ? [block.title] : []));
    expect(titles).toEqual(SUPPORTED_VENUES.map((venue) => `${venue}: $1,000,000 at taker prices, buy spot, sell the future`));
    const notes = section.blocks.flatMap((block) => (block.kind === 'note' ? [block.text] : []));
    expect(notes.some((note) => /^deribit: the books are too thin for \$1,000,000 on (\d+) of \1 contracts/.test(note))).toBe(true);
    expect(notes.some((note) => note.startsWith('binance: the books are too thin'))).toBe(false);
    expect('error' in (await executableSection(h.history, set, 'lots'))).toBe(true);
    expect('error' in (await executableSection(undefined, set, '1m'))).toBe(true);
  });
});

describe('a venue that serves no history', () => {
  it('is named while the others answer', async () => {
    h.server.setFault('deribit', { kind: 'down' });
    try {
      const result = await h.ask('/history BTC 7d');
      expect(result?.ok).toBe(true);
      const data = result!.data as HistoryData;
      expect(data.failures.map((failure) => failure.venue)).toEqual(['deribit']);
      expect(data.venues.map((venue) => venue.venue)).not.toContain('deribit');
      expect(data.venues.length).toBe(3);
      expect(text(result)).toMatch(/deribit served no history/);
    } finally {
      h.server.clearFaults();
    }
  });
});

describe('/curve overlay=7d', () => {
  it('names each venue once, with the instant and source of its dashed curve, sharing one clause when they agree', async () => {
    const result = await h.ask('/curve BTC overlay=7d');
    expect(result?.ok).toBe(true);
    const line = text(result).split('\n').find((candidate) => candidate.startsWith('Dashed:'));
    expect(line).toMatch(/^Dashed: the curve 7d ago: binance, okx, bybit, deribit \d{4}-\d\d-\d\d 00:00 UTC \(daily close, OHLCV\)\.$/);
  });
});
