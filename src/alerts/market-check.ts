/**
 * The checks a rule needs the market for: the asset exists (with close matches when not), the
 * venue lists it, and the tenor exists there. Returns the current values so the add reply can
 * show them and the rule can start armed on the right side.
 */
import { closestMatches } from '../core/suggest.js';
import type { MarketService } from '../core/services.js';
import { NoVenueAnsweredError, UnknownAssetError } from '../market/errors.js';
import type { CurveSet } from '../market/types.js';
import { extractSeries, listedExpiries, pickContract, type SeriesPoint } from './metrics.js';
import type { ParseError } from './parse.js';
import type { RuleSpec } from './types.js';

export type MarketCheck = { points: SeriesPoint[]; set: CurveSet; expiresAt?: number } | { error: ParseError };

const fail = (field: string, message: string, hint?: string): { error: ParseError } => ({ error: { field, message, hint } });

async function fetchCurves(market: MarketService, asset: string): Promise<{ set: CurveSet } | { error: ParseError }> {
  const known = await market.knownAssets();
  if (!known.includes(asset)) {
    const close = closestMatches(asset, known);
    return fail('asset', `unknown asset ${asset}: no enabled venue lists it`, close.length ? `Did you mean ${close.join(', ')}?` : 'Check the ticker, e.g. BTC, ETH, SOL.');
  }
  try {
    return { set: await market.curves(asset) };
  } catch (error) {
    if (error instanceof UnknownAssetError) return fail('asset', `unknown asset ${asset}`, error.suggestions.length ? `Did you mean ${error.suggestions.join(', ')}?` : undefined);
    if (error instanceof NoVenueAnsweredError) return fail('market', `no venue answered for ${asset}, so the rule cannot be checked`, 'Try again in a minute.');
    throw error;
  }
}

/** Why a series is empty, in the user's terms. */
function missingTenor(spec: RuleSpec, set: CurveSet): ParseError {
  const where = spec.venue ?? 'any venue';
  const curves = set.curves.filter((curve) => !spec.venue || curve.venue === spec.venue);
  if (spec.metric === 'funding' || spec.tenor === 'perp') {
    return { field: 'tenor', message: `no ${spec.asset} perpetual with funding on ${where}` };
  }
  if (spec.metric === 'spread' && set.curves.length > 0) {
    return { field: 'tenor', message: `a spread needs the ${spec.tenor} contract on at least two venues; ${spec.asset} has it on fewer` };
  }
  const expiries = listedExpiries(curves);
  const withFutures = set.curves.filter((curve) => curve.futures.length > 0).map((curve) => curve.venue);
  const hint = expiries.length
    ? `Expiries listed on ${where}: ${expiries.join(', ')}.`
    : withFutures.length
      ? `Venues with dated ${spec.asset} futures: ${withFutures.join(', ')}.`
      : `No venue lists dated ${spec.asset} futures; watch funding instead.`;
  const tenor = spec.tenor === 'front' || spec.tenor === 'next' ? `${spec.tenor} contract` : `contract expiring ${spec.tenor}`;
  return { field: 'tenor', message: `${spec.asset} has no ${tenor} on ${where}`, hint };
}

export async function validateAgainstMarket(market: MarketService, spec: RuleSpec): Promise<MarketCheck> {
  const fetched = await fetchCurves(market, spec.asset);
  if ('error' in fetched) return fetched;
  const { set } = fetched;
  if (spec.venue) {
    if (set.notListed.includes(spec.venue)) return fail('venue', `${spec.asset} is not listed on ${spec.venue}`, `It is listed on ${set.curves.map((c) => c.venue).join(', ')}.`);
    const failed = set.failures.find((failure) => failure.venue === spec.venue);
    if (failed) return fail('venue', `${spec.venue} did not answer (${failed.error}), so the rule cannot be checked`, 'Try again in a minute.');
  }
  const points = extractSeries(set, spec.metric, spec.tenor).filter((point) => !spec.venue || point.key === spec.venue);
  if (points.length === 0) return { error: missingTenor(spec, set) };
  let expiresAt: number | undefined;
  if (spec.tenor && /^\d{4}-/.test(spec.tenor)) {
    // Venues settle the same day at different hours: the rule lives until the last one expires.
    for (const curve of set.curves) {
      const leg = pickContract(curve, spec.tenor, spec.metric);
      if (leg) expiresAt = Math.max(expiresAt ?? 0, Date.parse(leg.expiry));
    }
  }
  return { points, set, ...(expiresAt !== undefined ? { expiresAt } : {}) };
}
