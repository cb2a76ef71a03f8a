/** Small hand-built CurveSets for the pure alert tests: only the fields the alert code reads. */
import type { AlertRecord, RuleSpec } from '../../src/alerts/types.js';
import type { CurveSet, FutureLeg, MarketState, VenueCurve, VenueId } from '../../src/market/types.js';

export const NOW = Date.parse('2026-12-01T12:00:00Z');
export const DAY = 86_400_000;

export interface FutureSpec {
  /** YYYY-MM-DD; the contract expires at 08:00 UTC that day. */
  expiry: string;
  /** Annualized basis, fraction. */
  apr: number;
}

export function future(spec: FutureSpec, now = NOW): FutureLeg {
  const expiryMs = Date.parse(`${spec.expiry}T08:00:00Z`);
  const days = (expiryMs - now) / DAY;
  const basisRate = (spec.apr * days) / 365;
  return {
    symbol: `SOL/USD:SOL-${spec.expiry.slice(2).replaceAll('-', '')}`,
    price: 100 * (1 + basisRate),
    priceSource: 'mid',
    timestamp: new Date(now).toISOString(),
    ageMs: 0,
    stale: false,
    expiry: new Date(expiryMs).toISOString(),
    daysToExpiry: days,
    margin: 'inverse',
    basis: 100 * basisRate,
    basisRate,
    annualizedRate: spec.apr,
  };
}

export function venueCurve(venue: VenueId, options: { futures?: FutureSpec[]; funding?: number; state?: MarketState; now?: number } = {}): VenueCurve {
  const now = options.now ?? NOW;
  const futures = (options.futures ?? []).map((f) => future(f, now)).filter((f) => f.daysToExpiry > 0);
  const leg = { symbol: 'SOL/USDT', price: 100, priceSource: 'mid' as const, timestamp: new Date(now).toISOString(), ageMs: 0, stale: false };
  const perp =
    options.funding === undefined
      ? null
      : { ...leg, symbol: 'SOL/USDT:USDT', premiumRate: 0, funding: { rate: options.funding / 1095, intervalHours: 8, annualizedRate: options.funding, ratePer8h: options.funding / 1095, nextFundingTime: null } };
  const state = options.state ?? (futures.length && futures.every((f) => f.annualizedRate >= 0.01) ? 'contango' : futures.length && futures.every((f) => f.annualizedRate <= -0.01) ? 'backwardation' : 'flat');
  return { venue, asset: 'SOL', asOf: new Date(now).toISOString(), spot: leg, perp, futures, state, stale: false };
}

export function curveSet(curves: VenueCurve[], now = NOW): CurveSet {
  return { asset: 'SOL', asOf: new Date(now).toISOString(), curves, failures: [], notListed: [] };
}

export function rule(spec: Partial<RuleSpec>, extra: Partial<AlertRecord> = {}): AlertRecord {
  return {
    id: 1,
    owner: { platform: 'console', userId: 'console' },
    target: { platform: 'console', chatId: 'console' },
    spec: { asset: 'SOL', metric: 'apr', direction: 'above', threshold: 0, tenor: 'front', cooldownMs: 3_600_000, band: 0.01, here: false, ...spec },
    createdAt: NOW,
    status: 'active',
    tracks: {},
    seq: 0,
    pending: [],
    ...extra,
  };
}
