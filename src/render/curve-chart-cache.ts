/**
 * `/curve` draws its PNG once per quote refresh instead of on every call (a draw costs about
 * 19 ms of CPU, a lookup nothing). The key is what the picture is made of: the asset, the
 * options, the overlay's curves and the identity of every quote in the set (symbol, exchange
 * time, price, funding). Quotes served again from the quote cache have the same identity, so
 * the PNG is reused; a refresh brings new times or prices, so the next call draws again.
 *
 * Deliberately not in the key: the set's `asOf` and the days to expiry, which move with the
 * clock on every call even for the same quotes; a reused PNG shows them as of its drawing.
 */
import type { CurveChartInput } from './chart.js';
import type { CurveSet, PricedLeg } from '../market/types.js';

/** Assets × option combinations kept: a chat community asks about a handful at a time. */
export const CURVE_CHART_CACHE_SIZE = 32;

/** A small LRU of PNGs being drawn or drawn, by key. Concurrent asks for one key share a draw. */
export class ChartCache {
  private readonly entries = new Map<string, Promise<Buffer>>();

  constructor(private readonly capacity = CURVE_CHART_CACHE_SIZE) {}

  get size(): number {
    return this.entries.size;
  }

  /** The PNG for `key`: the one held (now most recently used), or `draw()`'s, then held. */
  get(key: string, draw: () => Promise<Buffer>): Promise<Buffer> {
    const held = this.entries.get(key);
    if (held) {
      // Map order is insertion order: re-inserting marks the entry most recently used.
      this.entries.delete(key);
      this.entries.set(key, held);
      return held;
    }
    const drawing = draw();
    this.entries.set(key, drawing);
    // A failed draw is not kept: the next ask tries again.
    drawing.catch(() => {
      if (this.entries.get(key) === drawing) this.entries.delete(key);
    });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return drawing;
  }
}

function legIdentity(leg: PricedLeg): string {
  return `${leg.symbol}@${leg.timestamp}=${leg.price}`;
}

/** What changes when the quotes behind a set refresh, and nothing that changes without them. */
export function quoteIdentity(set: Pick<CurveSet, 'asset' | 'curves'>): string {
  return JSON.stringify(
    set.curves.map((curve) => [
      curve.venue,
      legIdentity(curve.spot),
      curve.perp ? [legIdentity(curve.perp), curve.perp.funding?.rate, curve.perp.funding?.intervalHours] : null,
      curve.futures.map(legIdentity),
    ]),
  );
}

export interface CurveChartKeyParts {
  set: Pick<CurveSet, 'asset' | 'curves'>;
  /** The `venue` option, when the chart is of one venue. */
  venue?: string;
  /** The dashed earlier curves: from history, fixed for a given label and hour. */
  overlay?: CurveChartInput['overlay'];
}

/** The cache key of one /curve chart. */
export function curveChartKey({ set, venue, overlay }: CurveChartKeyParts): string {
  return JSON.stringify([set.asset, venue ?? null, overlay ?? null, quoteIdentity(set)]);
}

// One cache per drawing function, so a different drawer (another app, a test's counting
// drawer) never gets PNGs another one drew, and the cache goes when its drawer does.
const cachesByDrawer = new WeakMap<object, ChartCache>();

/** The cache that belongs to `drawer`, created on first use. */
export function chartCacheFor(drawer: object): ChartCache {
  let cache = cachesByDrawer.get(drawer);
  if (!cache) cachesByDrawer.set(drawer, (cache = new ChartCache()));
  return cache;
}
