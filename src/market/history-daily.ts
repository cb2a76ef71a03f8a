import type { Exchange, MarketInterface as Market } from 'ccxt';
import { annualizedFunding, MS_PER_DAY } from '../basis/math.js';
import type { StoreFactory } from '../store/index.js';
import { DayCache } from './history-cache.js';
import type { VenueId } from './types.js';

/**
 * The raw daily series behind /history, /carry and the /curve overlay, through ccxt:
 * daily closes (fetchOHLCV) and funding settlements (fetchFundingRateHistory). Closed
 * days are held by (venue, symbol, day), so a second ask for days already held asks no
 * venue; each gap in the cache costs one request (or a few pages).
 */

export type Close = number;
export type FundingRow = [time: number, rate: number];

/** Largest funding page each venue accepts (okx 100, bybit 200, deribit ~744 hourly rows). */
const FUNDING_PAGE: Record<VenueId, number> = { binance: 1000, okx: 100, bybit: 200, deribit: 744 };
/** deribit's funding rows are hourly snapshots each quoting an 8-hour rate. */
const QUOTED_INTERVAL_HOURS: Partial<Record<VenueId, number>> = { deribit: 8 };
const FUNDING_CHUNK_DAYS = 30;
/** Daily candles asked for in one fetchOHLCV (every venue serves at least 300). */
const OHLCV_CHUNK_DAYS = 300;

/** Contiguous runs of days, so each gap in the cache costs one request (or a few chunks). */
export function runs(days: number[], maxDays: number): number[][] {
  const result: number[][] = [];
  for (const day of [...days].sort((a, b) => a - b)) {
    const last = result[result.length - 1];
    if (last && day - last[last.length - 1] === MS_PER_DAY && last.length < maxDays) last.push(day);
    else result.push([day]);
  }
  return result;
}

/** Rows to annualized rates: the venue's quoting interval, else the spacing of its settlements. */
export function annualizeFunding(venue: VenueId, rows: FundingRow[]): FundingRow[] {
  const sorted = [...rows].sort((a, b) => a[0] - b[0]);
  const gaps = sorted.slice(1).map(([time], index) => (time - sorted[index][0]) / 3_600_000).filter((hours) => hours > 0);
  const hours = QUOTED_INTERVAL_HOURS[venue] ?? (gaps.length ? Math.min(...gaps) : 8);
  return sorted.map(([time, rate]) => [time, annualizedFunding(rate, hours)]);
}

export class DailySeries {
  private readonly closeCache: DayCache<Close>;
  private readonly fundingCache: DayCache<FundingRow[]>;

  constructor(stores: StoreFactory, private readonly now: () => number) {
    this.closeCache = new DayCache(stores.open('history-closes'));
    this.fundingCache = new DayCache(stores.open('history-funding'));
  }

  /** Daily closes of one market, from the cache where held, else one fetchOHLCV per gap. */
  async closes(venue: VenueId, exchange: Exchange, market: Market, days: number[]): Promise<Map<number, Close>> {
    const held = await this.closeCache.getMany(venue, market.symbol, days);
    for (const run of runs(days.filter((day) => !held.has(day)), OHLCV_CHUNK_DAYS)) {
      const fetched = new Map<number, Close | null>(run.map((day) => [day, null]));
      try {
        const candles = await exchange.fetchOHLCV(market.symbol, '1d', run[0], run.length, { until: run[run.length - 1] + MS_PER_DAY - 1 });
        for (const [time, , , , close] of candles) if (fetched.has(time as number) && typeof close === 'number') fetched.set(time as number, close);
      } catch (error) {
        // An expired contract the venue never listed is expected to fail: nothing that day.
        if (!(market.expiry && market.expiry <= this.now())) throw error;
      }
      await this.closeCache.setMany(venue, market.symbol, fetched);
      for (const [day, close] of fetched) held.set(day, close);
    }
    return new Map([...held].flatMap(([day, close]) => (close === null ? [] : [[day, close] as [number, number]])));
  }

  /** Funding settlements per closed day, fetched in chunks the venue accepts. */
  async fundingRows(venue: VenueId, exchange: Exchange, symbol: string, days: number[]): Promise<Map<number, FundingRow[]>> {
    const held = await this.fundingCache.getMany(venue, symbol, days);
    for (const run of runs(days.filter((day) => !held.has(day)), FUNDING_CHUNK_DAYS)) {
      const [from, until] = [run[0], run[run.length - 1] + MS_PER_DAY];
      const rows = await exchange.fetchFundingRateHistory(symbol, from, FUNDING_PAGE[venue], { until: until - 1 });
      const byDay = new Map<number, FundingRow[] | null>(run.map((day) => [day, []]));
      for (const row of rows) {
        const time = row.timestamp;
        if (typeof time !== 'number' || typeof row.fundingRate !== 'number' || time < from || time >= until) continue;
        byDay.get(Math.floor(time / MS_PER_DAY) * MS_PER_DAY)?.push([time, row.fundingRate]);
      }
      await this.fundingCache.setMany(venue, symbol, byDay);
      for (const [day, list] of byDay) held.set(day, list);
    }
    return new Map([...held].map(([day, list]) => [day, list ?? []]));
  }
}
