import type { Exchange, MarketInterface as Market } from 'ccxt';
import type { Logger } from 'pino';
import { annualizedBasis, basisRate, annualizedFunding, MS_PER_DAY } from '../basis/math.js';
import { constantMaturity, mean, type ConstantMaturity, type TenorPoint } from '../basis/history.js';
import type { StoreFactory } from '../store/index.js';
import { withTimeout } from './errors.js';
import { DayCache } from './history-cache.js';
import { expiredFutures } from './history-contracts.js';
import { selectInstruments } from './instruments.js';
import { fetchCoinBook, type CoinBook, type TakerFeeOverrides } from './order-books.js';
import { SnapshotRecorder, type StoredAsset } from './snapshot-recorder.js';
import type { VenueFailure, VenueId } from './types.js';
import { describeVenueError, type VenueCatalog } from './venues.js';

/**
 * Daily history per venue through ccxt (fetchOHLCV, fetchFundingRateHistory): spot and
 * every dated future (expired ones included) as daily closes, the 30-day constant-maturity
 * basis of each closed UTC day, and the perp's funding per day. Closed days are held by
 * (venue, symbol, day), so asking again for days already held asks no venue.
 */

export interface HistoryServiceOptions {
  catalog: VenueCatalog;
  stores: StoreFactory;
  now: () => number;
  log: Logger;
  /**
   * Budget for one venue's whole history, ms (many requests under ccxt's rate limiter);
   * default 8 s, inside the shutdown bound that VENUE_TIMEOUT_MS also respects. Days
   * fetched before a timeout stay held, so the next ask finishes the rest.
   */
  timeoutMs?: number;
  /** Per-venue taker fees that replace ccxt's market.taker in `/basis size=` (config TAKER_FEES). */
  takerFees?: TakerFeeOverrides;
}

export interface HistoryDay {
  /** YYYY-MM-DD of the UTC day; its figures are at the day's close. */
  date: string;
  cm?: ConstantMaturity;
  /** Mean of the day's funding settlements, annualized. */
  fundingAnnualized?: number;
}

export interface VenueHistory {
  venue: VenueId;
  spot: string;
  perp?: string;
  /** Every dated contract asked for: the live ones, and expired ones named from the calendar (some never listed). */
  contracts: string[];
  days: HistoryDay[];
  /** Plain facts about gaps: no dated futures, no perp, no funding history. */
  notes: string[];
}

/** One venue's curve at a past moment, for the /curve overlay. */
export interface PastCurve {
  venue: VenueId;
  /** When the curve was read (a recorded snapshot) or the daily close it was built from, ms. */
  at: number;
  source: 'recorded' | 'daily closes';
  fundingAnnualized?: number;
  futures: { symbol: string; daysToExpiry: number; annualizedRate: number }[];
}

export interface HistorySet {
  asset: string;
  windowDays: number;
  asOf: string;
  venues: VenueHistory[];
  /** Venues that serve no history for the asset (or failed), each named with the reason. */
  failures: VenueFailure[];
  notListed: VenueId[];
}

/** Largest funding page each venue accepts (okx 100, bybit 200, deribit ~744 hourly rows). */
const FUNDING_PAGE: Record<VenueId, number> = { binance: 1000, okx: 100, bybit: 200, deribit: 744 };
/** deribit's funding rows are hourly snapshots each quoting an 8-hour rate. */
const QUOTED_INTERVAL_HOURS: Partial<Record<VenueId, number>> = { deribit: 8 };
const FUNDING_CHUNK_DAYS = 30;

type Close = number;
type FundingRow = [time: number, rate: number];

const isoDay = (day: number): string => new Date(day).toISOString().slice(0, 10);

/** Contiguous runs of days, so each gap in the cache costs one request (or a few chunks). */
function runs(days: number[], maxDays: number): number[][] {
  const result: number[][] = [];
  for (const day of [...days].sort((a, b) => a - b)) {
    const last = result[result.length - 1];
    if (last && day - last[last.length - 1] === MS_PER_DAY && last.length < maxDays) last.push(day);
    else result.push([day]);
  }
  return result;
}

/** A closed day's curve: each future's annualized basis against spot at the day's close (00:00 UTC next day). */
function curveAtClose(day: number, spot: number | undefined, futures: Market[], closes: Map<number, Close>[]): TenorPoint[] {
  if (spot === undefined) return [];
  const close = day + MS_PER_DAY;
  return futures.flatMap((market, index) => {
    const future = closes[index].get(day);
    const tenor = ((market.expiry as number) - close) / MS_PER_DAY;
    const rate = future === undefined ? undefined : annualizedBasis(basisRate(future, spot), tenor);
    return rate === undefined ? [] : [{ days: tenor, annualized: rate, symbol: market.symbol }];
  });
}

export class HistoryService {
  private readonly closes: DayCache<Close>;
  private readonly funding: DayCache<FundingRow[]>;
  /** Hourly curves as the bot read them; fed by `snapshots.recordFrom(market)` in the composition root. */
  readonly snapshots: SnapshotRecorder;

  constructor(private readonly options: HistoryServiceOptions) {
    this.closes = new DayCache(options.stores.open('history-closes'));
    this.funding = new DayCache(options.stores.open('history-funding'));
    this.snapshots = new SnapshotRecorder({ store: options.stores.open<StoredAsset>('curve-snapshots'), now: options.now, log: options.log });
  }

  /** The closed UTC days of a window ending yesterday, oldest first. */
  windowDays(windowDays: number): number[] {
    const today = Math.floor(this.options.now() / MS_PER_DAY) * MS_PER_DAY;
    return Array.from({ length: windowDays }, (_, index) => today - (windowDays - index) * MS_PER_DAY);
  }

  async history(asset: string, windowDays: number, only?: VenueId): Promise<HistorySet> {
    const symbol = asset.trim().toUpperCase();
    const venues = only ? [only] : this.options.catalog.venues;
    const days = this.windowDays(windowDays);
    const outcomes = await Promise.all(
      venues.map(async (venue) => {
        try {
          return { venue, history: await withTimeout(this.venueHistory(venue, symbol, days), this.options.timeoutMs ?? 8_000) };
        } catch (error) {
          this.options.log.warn({ venue, asset: symbol, err: describeVenueError(error) }, 'history failed');
          return { venue, error: describeVenueError(error) };
        }
      }),
    );
    return {
      asset: symbol,
      windowDays,
      asOf: new Date(this.options.now()).toISOString(),
      venues: outcomes.flatMap((outcome) => (outcome.history ? [outcome.history] : [])),
      failures: outcomes.flatMap((outcome) => (outcome.error ? [{ venue: outcome.venue, error: outcome.error }] : [])),
      notListed: outcomes.filter((outcome) => outcome.history === null).map((outcome) => outcome.venue),
    };
  }

  /** Mean annualized funding of the perp over the last `days` closed days; undefined without history. */
  async trailingFunding(venue: VenueId, perpSymbol: string, days = 7): Promise<number | undefined> {
    const exchange = await this.options.catalog.ready(venue);
    const rows = await this.fundingRows(venue, exchange, perpSymbol, this.windowDays(days));
    return mean(this.annualize(venue, [...rows.values()].flat()).map(([, rate]) => rate));
  }

  /**
   * Each venue's curve as it was at `at`: the recorded snapshot nearest it (within 90
   * minutes) where the bot was running then, else the daily close nearest it from OHLCV.
   */
  async pastCurves(asset: string, at: number, only?: VenueId): Promise<{ curves: PastCurve[]; failures: VenueFailure[] }> {
    const symbol = asset.trim().toUpperCase();
    const venues = only ? [only] : this.options.catalog.venues;
    const recorded: PastCurve[] = (await this.snapshots.nearest(symbol, at))
      .filter((curve) => venues.includes(curve.venue))
      .map(({ venue, at: when, fundingAnnualized, futures }) => ({ venue, at: when, source: 'recorded', fundingAnnualized, futures }));
    const close = Math.min(Math.round(at / MS_PER_DAY), Math.floor(this.options.now() / MS_PER_DAY)) * MS_PER_DAY;
    const failures: VenueFailure[] = [];
    const fromCloses = await Promise.all(
      venues
        .filter((venue) => !recorded.some((curve) => curve.venue === venue))
        .map((venue) =>
          withTimeout(this.closedCurve(venue, symbol, close - MS_PER_DAY), this.options.timeoutMs ?? 8_000).catch((error: unknown) => {
            failures.push({ venue, error: describeVenueError(error) });
            return null;
          }),
        ),
    );
    const curves = [...recorded, ...fromCloses.flatMap((curve) => (curve ? [curve] : []))];
    return { curves: venues.flatMap((venue) => curves.filter((curve) => curve.venue === venue)), failures };
  }

  /** One venue's curve at a day's close, from daily candles (held ones reused) and that day's funding. */
  private async closedCurve(venue: VenueId, asset: string, day: number): Promise<PastCurve | null> {
    const { catalog, now } = this.options;
    const exchange = await catalog.ready(venue);
    const instruments = selectInstruments(catalog.marketsOf(venue, asset), asset, now());
    if (!instruments.spot) return null;
    const futures = [...expiredFutures(exchange, venue, instruments.futures, day, now()), ...instruments.futures];
    const [spot, closes, funding] = await Promise.all([
      this.dailyCloses(venue, exchange, instruments.spot, [day]),
      Promise.all(futures.map((market) => this.dailyCloses(venue, exchange, market, [day]))),
      instruments.perp ? this.fundingRows(venue, exchange, instruments.perp.symbol, [day]) : Promise.resolve(new Map<number, FundingRow[]>()),
    ]);
    const points = curveAtClose(day, spot.get(day), futures, closes);
    const fundingAnnualized = mean(this.annualize(venue, funding.get(day) ?? []).map(([, rate]) => rate));
    if (points.length === 0 && fundingAnnualized === undefined) return null;
    return {
      venue,
      at: day + MS_PER_DAY,
      source: 'daily closes',
      fundingAnnualized,
      futures: points.map((point) => ({ symbol: point.symbol ?? '', daysToExpiry: point.days, annualizedRate: point.annualized })),
    };
  }

  /** One market's order book with amounts in coins (see order-books.ts); never cached: books move. */
  async orderBook(venue: VenueId, symbol: string, depth = 25): Promise<CoinBook> {
    return fetchCoinBook(await this.options.catalog.ready(venue), venue, symbol, depth, this.options.takerFees);
  }

  private async venueHistory(venue: VenueId, asset: string, days: number[]): Promise<VenueHistory | null> {
    const { catalog, now } = this.options;
    const exchange = await catalog.ready(venue);
    const instruments = selectInstruments(catalog.marketsOf(venue, asset), asset, now());
    if (!instruments.spot) {
      if (!instruments.perp && instruments.futures.length === 0) return null;
      throw new Error(`${venue} lists no ${asset} spot market to measure the basis against`);
    }
    const expired = expiredFutures(exchange, venue, instruments.futures, days[0], now());
    const futures = [...expired, ...instruments.futures];
    const [spotCloses, futureCloses, fundingByDay] = await Promise.all([
      this.dailyCloses(venue, exchange, instruments.spot, days),
      Promise.all(futures.map((market) => this.dailyCloses(venue, exchange, market, days))),
      instruments.perp ? this.fundingRows(venue, exchange, instruments.perp.symbol, days) : Promise.resolve(new Map<number, FundingRow[]>()),
    ]);
    const annualized = this.annualize(venue, [...fundingByDay.values()].flat());
    const fundingOf = (day: number): number | undefined => mean(annualized.filter(([time]) => time >= day && time < day + MS_PER_DAY).map(([, rate]) => rate));
    const history: HistoryDay[] = days.map((day) => ({
      date: isoDay(day),
      cm: constantMaturity(curveAtClose(day, spotCloses.get(day), futures, futureCloses)),
      fundingAnnualized: fundingOf(day),
    }));
    const notes: string[] = [];
    if (instruments.futures.length === 0) notes.push(`${venue} lists no dated ${asset} futures: no basis history, funding only`);
    if (!instruments.perp) notes.push(`${venue} lists no ${asset} perpetual: no funding history`);
    else if (annualized.length === 0) notes.push(`${venue} served no funding history for ${instruments.perp.symbol}`);
    return { venue, spot: instruments.spot.symbol, perp: instruments.perp?.symbol, contracts: futures.map((market) => market.symbol), days: history, notes };
  }

  /** Daily closes of one market, from the cache where held, else one fetchOHLCV per gap. */
  private async dailyCloses(venue: VenueId, exchange: Exchange, market: Market, days: number[]): Promise<Map<number, Close>> {
    const held = await this.closes.getMany(venue, market.symbol, days);
    for (const run of runs(days.filter((day) => !held.has(day)), 300)) {
      const fetched = new Map<number, Close | null>(run.map((day) => [day, null]));
      try {
        const candles = await exchange.fetchOHLCV(market.symbol, '1d', run[0], run.length, { until: run[run.length - 1] + MS_PER_DAY - 1 });
        for (const [time, , , , close] of candles) if (fetched.has(time as number) && typeof close === 'number') fetched.set(time as number, close);
      } catch (error) {
        // An expired contract the venue never listed is expected to fail: nothing that day.
        if (!(market.expiry && market.expiry <= this.options.now())) throw error;
      }
      await this.closes.setMany(venue, market.symbol, fetched);
      for (const [day, close] of fetched) held.set(day, close);
    }
    return new Map([...held].flatMap(([day, close]) => (close === null ? [] : [[day, close] as [number, number]])));
  }

  /** Funding settlements per closed day, fetched in chunks the venue accepts. */
  private async fundingRows(venue: VenueId, exchange: Exchange, symbol: string, days: number[]): Promise<Map<number, FundingRow[]>> {
    const held = await this.funding.getMany(venue, symbol, days);
    for (const run of runs(days.filter((day) => !held.has(day)), FUNDING_CHUNK_DAYS)) {
      const [from, until] = [run[0], run[run.length - 1] + MS_PER_DAY];
      const rows = await exchange.fetchFundingRateHistory(symbol, from, FUNDING_PAGE[venue], { until: until - 1 });
      const byDay = new Map<number, FundingRow[] | null>(run.map((day) => [day, []]));
      for (const row of rows) {
        const time = row.timestamp;
        if (typeof time !== 'number' || typeof row.fundingRate !== 'number' || time < from || time >= until) continue;
        byDay.get(Math.floor(time / MS_PER_DAY) * MS_PER_DAY)?.push([time, row.fundingRate]);
      }
      await this.funding.setMany(venue, symbol, byDay);
      for (const [day, list] of byDay) held.set(day, list);
    }
    return new Map([...held].map(([day, list]) => [day, list ?? []]));
  }

  /** Rows to annualized rates: the venue's quoting interval, else the spacing of its settlements. */
  private annualize(venue: VenueId, rows: FundingRow[]): FundingRow[] {
    const sorted = [...rows].sort((a, b) => a[0] - b[0]);
    const gaps = sorted.slice(1).map(([time], index) => (time - sorted[index][0]) / 3_600_000).filter((hours) => hours > 0);
    const hours = QUOTED_INTERVAL_HOURS[venue] ?? (gaps.length ? Math.min(...gaps) : 8);
    return sorted.map(([time, rate]) => [time, annualizedFunding(rate, hours)]);
  }
}
