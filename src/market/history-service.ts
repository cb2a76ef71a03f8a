import type { MarketInterface as Market } from 'ccxt';
import type { Logger } from 'pino';
import { annualizedBasis, basisRate, MS_PER_DAY } from '../basis/math.js';
import { constantMaturity, mean, type ConstantMaturity, type TenorPoint } from '../basis/history.js';
import type { StoreFactory } from '../store/index.js';
import { withTimeout } from './errors.js';
import { expiredFutures } from './history-contracts.js';
import { annualizeFunding, DailySeries, type Close, type FundingRow } from './history-daily.js';
import { selectInstruments } from './instruments.js';
import { fetchCoinBook, type CoinBook, type TakerFeeOverrides } from './order-books.js';
import { SnapshotRecorder, type StoredAsset } from './snapshot-recorder.js';
import type { VenueFailure, VenueId } from './types.js';
import { describeVenueError, type VenueCatalog } from './venues.js';

/**
 * The history queries behind /history, /carry and the /curve overlay: per venue, spot and
 * every dated future (expired ones included) as daily closes, the 30-day constant-maturity
 * basis of each closed UTC day, and the perp's funding per day. The daily series and their
 * cache live in history-daily.ts; this file picks the instruments and builds the answers.
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

const isoDay = (day: number): string => new Date(day).toISOString().slice(0, 10);

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
  private readonly daily: DailySeries;
  /** Hourly curves as the bot read them; fed by `snapshots.recordFrom(market)` in the composition root. */
  readonly snapshots: SnapshotRecorder;

  constructor(private readonly options: HistoryServiceOptions) {
    this.daily = new DailySeries(options.stores, options.now);
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
    const rows = await this.daily.fundingRows(venue, exchange, perpSymbol, this.windowDays(days));
    return mean(annualizeFunding(venue, [...rows.values()].flat()).map(([, rate]) => rate));
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
      this.daily.closes(venue, exchange, instruments.spot, [day]),
      Promise.all(futures.map((market) => this.daily.closes(venue, exchange, market, [day]))),
      instruments.perp ? this.daily.fundingRows(venue, exchange, instruments.perp.symbol, [day]) : Promise.resolve(new Map<number, FundingRow[]>()),
    ]);
    const points = curveAtClose(day, spot.get(day), futures, closes);
    const fundingAnnualized = mean(annualizeFunding(venue, funding.get(day) ?? []).map(([, rate]) => rate));
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
      this.daily.closes(venue, exchange, instruments.spot, days),
      Promise.all(futures.map((market) => this.daily.closes(venue, exchange, market, days))),
      instruments.perp ? this.daily.fundingRows(venue, exchange, instruments.perp.symbol, days) : Promise.resolve(new Map<number, FundingRow[]>()),
    ]);
    const annualized = annualizeFunding(venue, [...fundingByDay.values()].flat());
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
}
