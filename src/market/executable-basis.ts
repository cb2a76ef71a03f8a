import { executeCarry, type Execution } from '../basis/execution.js';
import type { CoinBook, FeeSource } from './order-books.js';
import type { CurveSet, VenueFailure, VenueId } from './types.js';
import { describeVenueError } from './venues.js';

/**
 * `/basis <asset> size=<notional>`: every dated future's carry executed on paper against
 * the venues' order books at taker prices, beside the quoted (mid) basis. Spot's book is
 * fetched once per venue and walked again for each future.
 */

export interface ExecutableRow {
  venue: VenueId;
  spot: string;
  future: string;
  execution: Execution;
  /** Where each leg's taker fee came from (config override, ccxt's market list, default). */
  feeSources: { spot: FeeSource; future: FeeSource };
}

export interface ExecutableBasis {
  asset: string;
  notional: number;
  rows: ExecutableRow[];
  /** Venues (or single contracts) whose books could not be read, named. */
  failures: VenueFailure[];
}

/** Where order books come from (the HistoryService, or a fake in tests). */
export interface BookSource {
  orderBook(venue: VenueId, symbol: string, depth?: number): Promise<CoinBook>;
}

/** `250k`, `1m`, `1.5M`, `100000`, `$2m` as USD; undefined for anything else or a non-positive size. */
export function parseNotional(raw: string): number | undefined {
  const match = /^\$?(\d+(?:\.\d+)?)\s*([kKmMbB]?)$/.exec(raw.trim().replace(/,/g, ''));
  if (!match) return undefined;
  const scale = { '': 1, k: 1e3, m: 1e6, b: 1e9 }[match[2].toLowerCase() as '' | 'k' | 'm' | 'b'];
  const value = Number(match[1]) * scale;
  return value > 0 && Number.isFinite(value) ? value : undefined;
}

export async function queryExecutableBasis(books: BookSource, set: CurveSet, notional: number, depth = 50): Promise<ExecutableBasis> {
  const failures: VenueFailure[] = [];
  const perVenue = await Promise.all(
    set.curves.map(async (curve): Promise<ExecutableRow[]> => {
      if (curve.futures.length === 0) return [];
      try {
        const [spot, ...futures] = await Promise.all([curve.spot.symbol, ...curve.futures.map((future) => future.symbol)].map((symbol) => books.orderBook(curve.venue, symbol, depth)));
        return curve.futures.flatMap((future, index) => {
          const book = futures[index];
          const execution = executeCarry({
            direction: future.basis >= 0 ? 'cash-and-carry' : 'reverse cash-and-carry',
            spot,
            future: book,
            notional,
            daysToExpiry: future.daysToExpiry,
            spotTakerFee: spot.takerFee,
            futureTakerFee: book.takerFee,
          });
          return execution ? [{ venue: curve.venue, spot: curve.spot.symbol, future: future.symbol, execution, feeSources: { spot: spot.feeSource, future: book.feeSource } }] : [];
        });
      } catch (error) {
        failures.push({ venue: curve.venue, error: describeVenueError(error) });
        return [];
      }
    }),
  );
  return { asset: set.asset, notional, rows: perVenue.flat(), failures };
}
