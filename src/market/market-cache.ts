import fs from 'node:fs/promises';
import path from 'node:path';
import type { VenueId } from './types.js';

/** What ccxt's loadMarkets produced, kept on disk so a restart makes no market request. */
export interface CachedMarkets {
  venue: VenueId;
  savedAt: number;
  markets: Record<string, unknown>;
  currencies?: Record<string, unknown>;
}

/**
 * Market lists under DATA_DIR/markets/<tag>/<venue>.json. The tag keeps the live venues'
 * lists apart from the replay's (or a proxy's), which list different contracts.
 */
export class MarketCache {
  constructor(
    private readonly dir: string,
    private readonly maxAgeMs: number,
  ) {}

  private file(venue: VenueId): string {
    return path.join(this.dir, `${venue}.json`);
  }

  /** The cached list when it is younger than the refresh interval; undefined otherwise. */
  async read(venue: VenueId, now: number): Promise<CachedMarkets | undefined> {
    try {
      const cached = JSON.parse(await fs.readFile(this.file(venue), 'utf8')) as CachedMarkets;
      const fresh = cached.venue === venue && now - cached.savedAt < this.maxAgeMs && cached.markets && typeof cached.markets === 'object';
      return fresh ? cached : undefined;
    } catch {
      return undefined; // missing or corrupt: load from the venue
    }
  }

  /** Writes atomically (temp file + rename) so a crash mid-write never leaves half a cache. */
  async write(entry: CachedMarkets): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const target = this.file(entry.venue);
    const temp = `${target}.${process.pid}.tmp`;
    await fs.writeFile(temp, JSON.stringify(entry));
    await fs.rename(temp, target);
  }
}
