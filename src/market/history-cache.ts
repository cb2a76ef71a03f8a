import type { KeyValueStore } from '../store/index.js';

/**
 * Per-day history held by (venue, symbol, day): a closed UTC day never changes, so once
 * held it is never asked of the venue again. "No data that day" (before a listing, after
 * an expiry) is held too, as null, so a contract's empty days are not fetched again.
 *
 * The store keeps one record per (venue, symbol) with its days inside, not one per day:
 * SQLite syncs every write (~10 ms), and a cold 90-day history of a dozen contracts
 * would otherwise spend seconds writing a thousand tiny records.
 */
type Series<T> = Record<string, T | null>;

export class DayCache<T> {
  private readonly series = new Map<string, Promise<Series<T>>>();

  constructor(private readonly store: KeyValueStore<Series<T>>) {}

  private static dayKey(day: number): string {
    return new Date(day).toISOString().slice(0, 10);
  }

  /** The series of one (venue, symbol), read from the store once, then held in memory. */
  private load(venue: string, symbol: string): Promise<Series<T>> {
    const key = `${venue}|${symbol}`;
    let series = this.series.get(key);
    if (!series) {
      series = this.store.get(key).then((stored) => ({ ...(stored ?? {}) }));
      this.series.set(key, series);
    }
    return series;
  }

  /** The held value of each day (null: held as "no data"); days not held are absent. */
  async getMany(venue: string, symbol: string, days: number[]): Promise<Map<number, T | null>> {
    const series = await this.load(venue, symbol);
    const found = new Map<number, T | null>();
    for (const day of days) {
      const key = DayCache.dayKey(day);
      if (key in series) found.set(day, series[key]);
    }
    return found;
  }

  async setMany(venue: string, symbol: string, values: Map<number, T | null>): Promise<void> {
    const series = await this.load(venue, symbol);
    for (const [day, value] of values) series[DayCache.dayKey(day)] = value;
    await this.store.set(`${venue}|${symbol}`, series);
  }
}
