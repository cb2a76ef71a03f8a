import type { VenueId } from '../types.js';
import { listedExpiries, nextFundingTime, type ExpiryRuleCount } from './calendar.js';
import { decimalsOf } from './encoders/common.js';
import snapshotJson from './snapshot.json' with { type: 'json' };
import type { ReplayInstrument, ReplayUniverse } from './universe.js';

/** One node of an asset's term structure: annualized basis (fraction) at `days` to expiry. */
export interface BasisNode {
  days: number;
  annualized: number;
}

export interface SnapshotAsset {
  /** Reference spot price in USD; each venue's spot sits `spotOffsetBps` away from it. */
  referenceSpot: number;
  /** Default tick size, used where a listing names none. */
  tickSize: number;
  /** Needed only for assets with dated futures. */
  basisCurve?: BasisNode[];
}

/** How one asset trades on one venue. */
export interface SnapshotVenueAsset {
  spotOffsetBps: number;
  /** Full bid/ask spread in bps of the price, per instrument kind. */
  spreadBps: { spot: number; perp: number; future?: number };
  /** Perp mid over the venue's spot mid, in bps. */
  perpPremiumBps: number;
  /** Per `fundingIntervalHours`, fraction. */
  fundingRate: number;
  fundingIntervalHours: number;
  /** Added to the asset's annualized basis curve on this venue, fraction. */
  basisShift: number;
  volume24hQuote: { spot: number; perp: number };
}

/** A family of instruments a venue lists, e.g. binance's COIN-M quarterlies. */
export interface SnapshotListing {
  kind: ReplayInstrument['kind'];
  margin: ReplayInstrument['margin'];
  quote: ReplayInstrument['quote'];
  assets: string[];
  /** Futures only: the venue's calendar. */
  expiries?: ExpiryRuleCount[];
  /** Per asset, with an optional `default`; 1 (one coin) when absent. */
  contractSize?: Record<string, number>;
  /** Per asset; the asset's own tick size when absent. */
  tickSize?: Record<string, number>;
  /**
   * Perps whose funding interval differs from the venue's usual one for the asset
   * (binance COIN-M funds every 8h); the rate is rescaled to keep the same annual rate.
   */
  fundingIntervalHours?: number;
  /** Fraction of the asset's spot (spot listings) or perp (others) 24h volume; default 1. */
  volumeShare?: number;
}

export interface SnapshotVenue {
  assets: Record<string, SnapshotVenueAsset>;
  listings: SnapshotListing[];
}

/** The bundled market (snapshot.json): venue-neutral numbers the builder prices from. */
export interface MarketSnapshot {
  description: string;
  assets: Record<string, SnapshotAsset>;
  venues: Partial<Record<VenueId, SnapshotVenue>>;
}

const DAY_MS = 86_400_000;
const BPS = 1e-4;

/** Annualized basis at `days`, linear between nodes and flat beyond the first and last. */
export function interpolateBasis(curve: BasisNode[], days: number): number {
  const nodes = [...curve].sort((a, b) => a.days - b.days);
  if (days <= nodes[0].days) return nodes[0].annualized;
  for (let index = 1; index < nodes.length; index += 1) {
    const [left, right] = [nodes[index - 1], nodes[index]];
    if (days <= right.days) {
      return left.annualized + ((right.annualized - left.annualized) * (days - left.days)) / (right.days - left.days);
    }
  }
  return nodes[nodes.length - 1].annualized;
}

/** Drops binary noise (0.1 + 0.2) so encoders print the decimals a venue would. */
function clean(value: number, decimals: number): number {
  return Number(value.toFixed(Math.min(decimals, 12)));
}

/** Bid and ask around a fair price on the tick grid, at least one tick apart. */
function quoteAround(fair: number, spreadBps: number, tick: number): { bid: number; ask: number } {
  const decimals = decimalsOf(tick);
  const half = (fair * spreadBps * BPS) / 2;
  const bid = Math.floor((fair - half) / tick + 1e-9) * tick;
  const ask = Math.max(Math.ceil((fair + half) / tick - 1e-9) * tick, bid + tick);
  return { bid: clean(bid, decimals), ask: clean(ask, decimals) };
}

function pick(table: Record<string, number> | undefined, asset: string): number | undefined {
  return table?.[asset] ?? table?.['default'];
}

interface PricedBook {
  bid: number;
  ask: number;
  mid: number;
}

/** Builds one venue's instruments; `seq` numbers instruments for the deterministic timestamp offsets. */
function buildVenue(snapshot: MarketSnapshot, venueId: VenueId, venue: SnapshotVenue, now: number, seq: { next: number }): ReplayInstrument[] {
  const result: ReplayInstrument[] = [];
  const settingsOf = (asset: string): SnapshotVenueAsset => {
    const settings = venue.assets[asset];
    if (!settings) throw new Error(`snapshot: ${venueId} lists ${asset} but has no settings for it`);
    return settings;
  };
  const spotOf = (asset: string): PricedBook => {
    const reference = snapshot.assets[asset];
    if (!reference) throw new Error(`snapshot: unknown asset ${asset}`);
    const fair = reference.referenceSpot * (1 + settingsOf(asset).spotOffsetBps * BPS);
    const { bid, ask } = quoteAround(fair, settingsOf(asset).spreadBps.spot, reference.tickSize);
    return { bid, ask, mid: clean((bid + ask) / 2, decimalsOf(reference.tickSize) + 1) };
  };

  const push = (listing: SnapshotListing, asset: string, fair: number, spreadBps: number, index: number, extra: Partial<ReplayInstrument>, volume: number): void => {
    const tick = pick(listing.tickSize, asset) ?? snapshot.assets[asset].tickSize;
    const { bid, ask } = quoteAround(fair, spreadBps, tick);
    const n = seq.next++;
    // Alternate the last trade between bid, ask and mid so it never equals the mid everywhere.
    const last = [bid, ask, clean((bid + ask) / 2, decimalsOf(tick) + 1)][n % 3];
    result.push({
      venue: venueId,
      asset,
      kind: listing.kind,
      margin: listing.margin,
      quote: listing.quote,
      bid,
      ask,
      last,
      mark: clean(fair, decimalsOf(tick) + 1),
      index,
      contractSize: pick(listing.contractSize, asset) ?? 1,
      tickSize: tick,
      volume24hQuote: Math.round(volume),
      // A few hundred ms old, different per instrument, as quotes from a live book would be.
      timestamp: now - (40 + ((n * 389) % 1500)),
      ...extra,
    });
  };

  for (const listing of venue.listings) {
    const share = listing.volumeShare ?? 1;
    for (const asset of listing.assets) {
      const settings = settingsOf(asset);
      const spot = spotOf(asset);
      if (listing.kind === 'spot') {
        push(listing, asset, spot.mid, settings.spreadBps.spot, spot.mid, {}, settings.volume24hQuote.spot * share);
      } else if (listing.kind === 'perp') {
        const intervalHours = listing.fundingIntervalHours ?? settings.fundingIntervalHours;
        const rate = (settings.fundingRate * intervalHours) / settings.fundingIntervalHours;
        const fair = spot.mid * (1 + settings.perpPremiumBps * BPS);
        push(listing, asset, fair, settings.spreadBps.perp, spot.mid, {
          fundingRate: clean(rate, 10),
          fundingIntervalHours: intervalHours,
          nextFundingTime: nextFundingTime(now, intervalHours),
        }, settings.volume24hQuote.perp * share);
      } else {
        const curve = snapshot.assets[asset].basisCurve;
        const spread = settings.spreadBps.future;
        if (!curve || spread === undefined || !listing.expiries) {
          throw new Error(`snapshot: ${venueId} ${asset} futures need a basis curve, a future spread and expiries`);
        }
        listedExpiries(now, listing.expiries).forEach((expiry, rank) => {
          const days = (expiry - now) / DAY_MS;
          const annualized = interpolateBasis(curve, days) + settings.basisShift;
          const fair = spot.mid * (1 + (annualized * days) / 365);
          // Later tenors trade less: each one half the volume of the one before.
          push(listing, asset, fair, spread, spot.mid, { expiry }, (settings.volume24hQuote.perp * share) / 2 ** rank);
        });
      }
    }
  }
  return result;
}

/** Prices the snapshot at `now`: expiries from the venues' calendars, quotes stamped just before `now`. */
export function buildUniverse(snapshot: MarketSnapshot, now: number): ReplayUniverse {
  const seq = { next: 0 };
  const instruments = (Object.entries(snapshot.venues) as [VenueId, SnapshotVenue][]).flatMap(([venueId, venue]) =>
    buildVenue(snapshot, venueId, venue, now, seq),
  );
  return { asOf: now, instruments };
}

/** The bundled snapshot, as a function of the clock (what the replay server serves by default). */
export function loadBundledUniverse(): (now: number) => ReplayUniverse {
  const snapshot = snapshotJson as unknown as MarketSnapshot;
  return (now) => buildUniverse(snapshot, now);
}
