import type { MarketInterface as Market } from 'ccxt';
import { annualizedBasis, annualizedFunding, basis, basisRate, daysToExpiry, fundingPer8h, pickPrice } from '../basis/math.js';
import { classifyCurve } from '../basis/state.js';
import type { AssetInstruments } from './instruments.js';
import type { FundingLeg, FutureLeg, PerpLeg, PricedLeg, Quote, VenueCurve, VenueId } from './types.js';

/** Quotes by unified symbol; a Map fits, and so does a view over several families' maps. */
export type QuoteLookup = Pick<Map<string, Quote>, 'get'>;

export interface CurveInputs {
  venue: VenueId;
  asset: string;
  instruments: AssetInstruments;
  quotes: QuoteLookup;
  now: number;
  staleAfterMs: number;
}

function pricedLeg(market: Market, quotes: QuoteLookup, now: number, staleAfterMs: number): PricedLeg | undefined {
  const quote = quotes.get(market.symbol);
  const picked = quote && pickPrice(quote);
  if (!quote || !picked) return undefined;
  const ageMs = Math.max(0, now - quote.timestamp);
  return {
    symbol: market.symbol,
    price: picked.price,
    priceSource: picked.priceSource,
    timestamp: new Date(quote.timestamp).toISOString(),
    ageMs,
    stale: ageMs > staleAfterMs,
  };
}

function fundingLeg(quote: Quote | undefined): FundingLeg | null {
  const funding = quote?.funding;
  if (!funding) return null;
  return {
    rate: funding.rate,
    intervalHours: funding.intervalHours,
    annualizedRate: annualizedFunding(funding.rate, funding.intervalHours),
    ratePer8h: fundingPer8h(funding.rate, funding.intervalHours),
    nextFundingTime: funding.nextFundingTime ? new Date(funding.nextFundingTime).toISOString() : null,
  };
}

/**
 * One venue's curve for an asset: spot, the perp with its funding, and every dated
 * future with basis in money, as a rate and annualized — all against that venue's spot.
 * Undefined when the venue has no priced spot to measure against.
 */
export function buildVenueCurve(inputs: CurveInputs): VenueCurve | undefined {
  const { venue, asset, instruments, quotes, now, staleAfterMs } = inputs;
  const spot = instruments.spot && pricedLeg(instruments.spot, quotes, now, staleAfterMs);
  if (!spot) return undefined;

  const perpPriced = instruments.perp && pricedLeg(instruments.perp, quotes, now, staleAfterMs);
  const perp: PerpLeg | null = perpPriced
    ? { ...perpPriced, funding: fundingLeg(quotes.get(perpPriced.symbol)), premiumRate: basisRate(perpPriced.price, spot.price) }
    : null;

  const futures: FutureLeg[] = [];
  for (const market of instruments.futures) {
    const leg = pricedLeg(market, quotes, now, staleAfterMs);
    if (!leg) continue;
    const days = daysToExpiry(market.expiry as number, now);
    const rate = basisRate(leg.price, spot.price);
    const annualizedRate = annualizedBasis(rate, days);
    if (annualizedRate === undefined) continue; // expired between listing and pricing
    futures.push({
      ...leg,
      expiry: new Date(market.expiry as number).toISOString(),
      daysToExpiry: days,
      margin: market.inverse ? 'inverse' : 'linear',
      basis: basis(leg.price, spot.price),
      basisRate: rate,
      annualizedRate,
    });
  }

  return {
    venue,
    asset,
    asOf: new Date(now).toISOString(),
    spot,
    perp,
    futures,
    state: classifyCurve(futures, perp?.premiumRate),
    stale: spot.stale || Boolean(perp?.stale) || futures.some((future) => future.stale),
  };
}
