import type { Logger } from 'pino';
import type { KeyValueStore } from '../store/index.js';
import type { CurveSet, VenueId } from './types.js';

/**
 * The bot's own record of the curves it already fetches (alert ticks, digests, commands):
 * at most one snapshot per asset, venue and hour, so `/curve overlay=7d` can draw last
 * week's curve without asking a venue, including the perp funding and contracts that
 * OHLCV cannot give back (a funding *quote*, a contract since expired on a venue that
 * no longer serves its candles).
 *
 * Compacted two ways: a venue's curve is a short tuple (no field names, rounded numbers),
 * and the record thins out with age: hourly for `hourlyDays`, then the first snapshot of
 * each UTC day until `keepDays`, then nothing. One store record per asset, written only
 * when an hour gains a venue, so a busy alert tick costs no write.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** [symbol, expiry ms, annualized basis]: one dated future. */
type FutureTuple = [string, number, number];
/** [spot price, perp funding annualized or null, futures]: one venue's curve. */
type CurveTuple = [number, number | null, FutureTuple[]];

interface StoredSnapshot {
  /** When the curve was read, ms. */
  at: number;
  venues: Partial<Record<VenueId, CurveTuple>>;
}

export interface StoredAsset {
  hourly: StoredSnapshot[];
  daily: StoredSnapshot[];
}

export interface RecordedCurve {
  venue: VenueId;
  at: number;
  spot: number;
  fundingAnnualized?: number;
  /** Days to expiry as they were at `at`. */
  futures: { symbol: string; expiry: number; daysToExpiry: number; annualizedRate: number }[];
}

export interface SnapshotRecorderOptions {
  store: KeyValueStore<StoredAsset>;
  now: () => number;
  log?: Logger;
  /** Hourly snapshots are kept this long (default 8 days: a week back, with a day to spare). */
  hourlyDays?: number;
  /** Daily snapshots are kept this long (default 120 days: the longest /history window and more). */
  keepDays?: number;
}

/** Six significant digits: a basis rate to 0.0001 %, a price to a tick; halves what JSON stores. */
const round = (value: number): number => Number(value.toPrecision(6));

export class SnapshotRecorder {
  private readonly assets = new Map<string, Promise<StoredAsset>>();
  /** Writes per asset, one after another, so two ticks in the same hour cannot lose one. */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly options: SnapshotRecorderOptions) {}

  /**
   * Records every curve the market service hands out from now on. The service is patched
   * on this one instance rather than wrapped, because everything already holds it (alerts,
   * digests, commands): one line in the composition root feeds the record from all of them.
   * Recording never delays or fails the caller.
   */
  recordFrom(market: { curves(asset: string, venue?: VenueId, options?: { allowStale?: boolean }): Promise<CurveSet> }): void {
    const original = market.curves.bind(market);
    market.curves = async (asset, venue, options) => {
      const set = await original(asset, venue, options);
      this.record(set).catch((error: unknown) => this.options.log?.warn({ asset: set.asset, err: String(error) }, 'snapshot not recorded'));
      return set;
    };
  }

  /** Adds the set's fresh curves to the hour they were read in, where that hour lacks them. */
  record(set: CurveSet): Promise<void> {
    const fresh = set.curves.filter((curve) => !curve.stale && Number.isFinite(curve.spot.price));
    if (fresh.length === 0) return Promise.resolve();
    const asset = set.asset.toUpperCase();
    const previous = this.chains.get(asset) ?? Promise.resolve();
    const next = previous.then(async () => {
      const stored = await this.load(asset);
      const at = Date.parse(set.asOf);
      const hour = Math.floor(at / HOUR_MS);
      let snapshot = stored.hourly.find((entry) => Math.floor(entry.at / HOUR_MS) === hour);
      const missing = fresh.filter((curve) => !snapshot?.venues[curve.venue]);
      if (missing.length === 0) return;
      if (!snapshot) {
        snapshot = { at, venues: {} };
        stored.hourly.push(snapshot);
        stored.hourly.sort((a, b) => a.at - b.at);
      }
      for (const curve of missing) {
        snapshot.venues[curve.venue] = [
          round(curve.spot.price),
          curve.perp?.funding ? round(curve.perp.funding.annualizedRate) : null,
          curve.futures.map((future) => [future.symbol, Date.parse(future.expiry), round(future.annualizedRate)]),
        ];
      }
      this.compact(stored);
      await this.options.store.set(asset, stored);
    });
    this.chains.set(asset, next.catch(() => undefined));
    return next;
  }

  /** The snapshot nearest `at` within `toleranceMs`, one curve per venue recorded then. */
  async nearest(asset: string, at: number, toleranceMs = 90 * 60_000): Promise<RecordedCurve[]> {
    const stored = await this.load(asset.toUpperCase());
    let best: StoredSnapshot | undefined;
    for (const snapshot of [...stored.hourly, ...stored.daily]) {
      const distance = Math.abs(snapshot.at - at);
      if (distance <= toleranceMs && (!best || distance < Math.abs(best.at - at))) best = snapshot;
    }
    if (!best) return [];
    const when = best.at;
    return Object.entries(best.venues).map(([venue, [spot, funding, futures]]) => ({
      venue: venue as VenueId,
      at: when,
      spot,
      fundingAnnualized: funding ?? undefined,
      futures: futures
        .filter(([, expiry]) => expiry > when)
        .map(([symbol, expiry, annualizedRate]) => ({ symbol, expiry, daysToExpiry: (expiry - when) / DAY_MS, annualizedRate })),
    }));
  }

  /** What the store holds for an asset (tests, and /status if it ever reports it). */
  async stored(asset: string): Promise<StoredAsset> {
    return this.load(asset.toUpperCase());
  }

  private load(asset: string): Promise<StoredAsset> {
    let entry = this.assets.get(asset);
    if (!entry) {
      entry = this.options.store.get(asset).then((stored) => ({ hourly: [...(stored?.hourly ?? [])], daily: [...(stored?.daily ?? [])] }));
      this.assets.set(asset, entry);
    }
    return entry;
  }

  /** Hourly snapshots past their time fold into the first of their UTC day; daily ones past theirs go. */
  private compact(stored: StoredAsset): void {
    const now = this.options.now();
    const hourlyFrom = now - (this.options.hourlyDays ?? 8) * DAY_MS;
    const keepFrom = now - (this.options.keepDays ?? 120) * DAY_MS;
    const aged = stored.hourly.filter((snapshot) => snapshot.at < hourlyFrom);
    stored.hourly = stored.hourly.filter((snapshot) => snapshot.at >= hourlyFrom);
    for (const snapshot of aged) {
      const day = Math.floor(snapshot.at / DAY_MS);
      const daily = stored.daily.find((entry) => Math.floor(entry.at / DAY_MS) === day);
      if (!daily) {
        stored.daily.push({ at: snapshot.at, venues: { ...snapshot.venues } });
        continue;
      }
      // A venue missing from the day's first snapshot is taken from a later one that day.
      for (const [venue, curve] of Object.entries(snapshot.venues)) daily.venues[venue as VenueId] ??= curve;
    }
    stored.daily = stored.daily.filter((snapshot) => snapshot.at >= keepFrom).sort((a, b) => a.at - b.at);
  }
}
