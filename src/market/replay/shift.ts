/**
 * Market moves on the replay: shift an asset's futures premium (annualized, added to every dated
 * future) and/or its perp funding (annualized), on one venue or all. Tests and demos use it to
 * make a threshold cross without editing the snapshot; it is applied on top of whatever universe
 * the server builds for the clock, so expiries keep following the clock.
 *
 * Amounts are fractions, like every rate in basisbot's JSON: `apr: 0.05` adds 5 percentage
 * points of annualized basis. A shift for the same asset and venue replaces the previous one
 * (so `apr: 0` moves the market back); an all-venue shift and a venue's own shift add up.
 */
import { SUPPORTED_VENUES, type VenueId } from '../types.js';
import type { ReplayInstrument, ReplayUniverse } from './universe.js';

export interface ReplayShift {
  asset: string;
  /** Absent: every venue. */
  venue?: VenueId;
  /** Annualized basis added to every dated future, fraction. */
  apr?: number;
  /** Annualized funding added to the perp's rate, fraction (rescaled to the funding interval). */
  funding?: number;
}

const DAY_MS = 86_400_000;
const ALL = '*';
/** ±1000% a year: far beyond any market, small enough to keep prices positive on normal tenors. */
const LIMIT = 10;

/** Validates a shift from an HTTP body; the error names the field. */
export function parseShift(body: unknown): { shift: ReplayShift } | { error: string } {
  if (typeof body !== 'object' || body === null) return { error: 'body must be a JSON object' };
  const { asset, venue, apr, funding } = body as Record<string, unknown>;
  if (typeof asset !== 'string' || !/^[A-Za-z0-9]{1,15}$/.test(asset)) return { error: 'asset must be a ticker such as SOL' };
  if (venue !== undefined && !(SUPPORTED_VENUES as readonly unknown[]).includes(venue)) return { error: `venue must be one of ${SUPPORTED_VENUES.join(', ')}` };
  for (const [name, value] of [['apr', apr], ['funding', funding]] as const) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > LIMIT)) {
      return { error: `${name} must be a fraction between -${LIMIT} and ${LIMIT} (0.05 = 5 points a year)` };
    }
  }
  if (apr === undefined && funding === undefined) return { error: 'give apr and/or funding' };
  return { shift: { asset: asset.toUpperCase(), ...(venue ? { venue: venue as VenueId } : {}), ...(apr !== undefined ? { apr: apr as number } : {}), ...(funding !== undefined ? { funding: funding as number } : {}) } };
}

/** Drops binary noise so encoders print sane decimals. */
const clean = (value: number): number => Number(value.toPrecision(12));

export class ShiftTable {
  private readonly shifts = new Map<string, { apr: number; funding: number }>();

  set(shift: ReplayShift): void {
    const key = `${shift.asset.toUpperCase()}|${shift.venue ?? ALL}`;
    const previous = this.shifts.get(key) ?? { apr: 0, funding: 0 };
    this.shifts.set(key, { apr: shift.apr ?? previous.apr, funding: shift.funding ?? previous.funding });
  }

  reset(): void {
    this.shifts.clear();
  }

  isEmpty(): boolean {
    return this.shifts.size === 0;
  }

  /** Every shift in force, for the control route's answer. */
  list(): ReplayShift[] {
    return [...this.shifts].map(([key, amounts]) => {
      const [asset, venue] = key.split('|');
      return { asset, ...(venue === ALL ? {} : { venue: venue as VenueId }), ...amounts };
    });
  }

  /** The universe with every shift applied; the input is left untouched (the server caches it). */
  apply(universe: ReplayUniverse): ReplayUniverse {
    if (this.shifts.size === 0) return universe;
    return { asOf: universe.asOf, instruments: universe.instruments.map((instrument) => this.shiftOne(instrument, universe.asOf)) };
  }

  private amountsFor(instrument: ReplayInstrument): { apr: number; funding: number } {
    const all = this.shifts.get(`${instrument.asset}|${ALL}`);
    const own = this.shifts.get(`${instrument.asset}|${instrument.venue}`);
    return { apr: (all?.apr ?? 0) + (own?.apr ?? 0), funding: (all?.funding ?? 0) + (own?.funding ?? 0) };
  }

  private shiftOne(instrument: ReplayInstrument, now: number): ReplayInstrument {
    if (instrument.kind === 'spot') return instrument;
    const { apr, funding } = this.amountsFor(instrument);
    if (instrument.kind === 'future' && apr !== 0 && instrument.expiry !== undefined) {
      // Annualized basis is (F − S)/S × 365/days: adding `apr` moves F by S × apr × days/365.
      const delta = (instrument.index * apr * (instrument.expiry - now)) / DAY_MS / 365;
      const move = (price: number): number => clean(price + delta);
      return { ...instrument, bid: move(instrument.bid), ask: move(instrument.ask), last: move(instrument.last), mark: move(instrument.mark) };
    }
    if (instrument.kind === 'perp' && funding !== 0 && instrument.fundingRate !== undefined && instrument.fundingIntervalHours) {
      return { ...instrument, fundingRate: clean(instrument.fundingRate + (funding * instrument.fundingIntervalHours) / 8760) };
    }
    return instrument;
  }
}
