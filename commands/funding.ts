import type { Command, CommandContext, CommandResult } from '../src/core/command.js';
import { ASSET_OPTION, assetGuard, assetVenueCached, queryCurves } from '../src/core/market-query.js';
import type { Block, Reply } from '../src/core/reply.js';
import { formatFundingRate, formatPercent, formatPrice } from '../src/basis/format.js';
import { provenanceNotes } from '../src/render/provenance.js';
import type { CurveSet, FundingLeg, PriceSource, VenueId } from '../src/market/types.js';

/** One venue's perpetual with its funding, flattened for the table and `--json`. */
export interface PerpFunding extends FundingLeg {
  venue: VenueId;
  symbol: string;
  price: number;
  priceSource: PriceSource;
}

/** What `/funding` knows: each venue's perp funding, highest per 8h first. */
export interface FundingData {
  set: CurveSet;
  perps: PerpFunding[];
}

/** Typed data from a CurveSet already fetched. */
export function fundingData(set: CurveSet): FundingData {
  const perps = set.curves.flatMap((curve) =>
    curve.perp?.funding ? [{ venue: curve.venue, symbol: curve.perp.symbol, price: curve.perp.price, priceSource: curve.perp.priceSource, ...curve.perp.funding }] : [],
  );
  perps.sort((a, b) => b.ratePer8h - a.ratePer8h);
  return { set, perps };
}

/** The query step: every venue's curves, reduced to their perps. */
export async function queryFunding(ctx: CommandContext, asset: string): Promise<{ data: FundingData } | { failed: CommandResult }> {
  const answer = await queryCurves(ctx, asset);
  return 'failed' in answer ? answer : { data: fundingData(answer.set) };
}

/** Who pays whom, in words: positive funding means longs pay shorts. */
function whoPays(perps: { venue: string; rate: number }[]): string {
  if (perps.every((perp) => perp.rate > 0)) return 'Funding is positive on every venue: longs pay shorts.';
  if (perps.every((perp) => perp.rate < 0)) return 'Funding is negative on every venue: shorts pay longs.';
  const payingLongs = perps.filter((perp) => perp.rate > 0).map((perp) => perp.venue);
  return `Venues disagree: longs pay shorts on ${payingLongs.join(', ') || 'none'}, shorts pay longs or nothing is paid on the rest.`;
}

/** The render step: the funding table, the spread between venues, and who pays. */
export function renderFunding({ set, perps }: FundingData): Reply {
  const blocks: Block[] = [];
  if (perps.length === 0) {
    blocks.push({ kind: 'text', text: `No venue reported funding for a ${set.asset} perpetual.` });
  } else {
    blocks.push({
      kind: 'table',
      head: ['Venue', 'Perp', 'Rate', 'Every', 'Per 8h', 'Annualized', 'Next (UTC)', 'Price'],
      rows: perps.map((perp) => [
        perp.venue,
        perp.symbol,
        formatFundingRate(perp.rate),
        `${perp.intervalHours}h`,
        formatFundingRate(perp.ratePer8h),
        formatPercent(perp.annualizedRate),
        perp.nextFundingTime ? perp.nextFundingTime.slice(5, 16).replace('T', ' ') : 'continuous',
        `${formatPrice(perp.price)} ${perp.priceSource}`,
      ]),
    });
    const high = perps[0];
    const low = perps[perps.length - 1];
    if (perps.length > 1) {
      blocks.push({
        kind: 'text',
        text:
          `Spread: ${high.venue} ${formatFundingRate(high.ratePer8h)} vs ${low.venue} ${formatFundingRate(low.ratePer8h)} per 8h ` +
          `= ${formatPercent(high.annualizedRate - low.annualizedRate)} a year between the highest and lowest venue.`,
      });
    }
    blocks.push({ kind: 'text', text: `${whoPays(perps)} Rates are normalised to 8h because venues fund every 1h, 4h or 8h.` });
  }
  blocks.push(...provenanceNotes(set));
  return { title: `${set.asset} perpetual funding`, tone: 'neutral', blocks, actions: [{ id: 'refresh', label: 'Refresh' }] };
}

/** `/funding <asset>`: perpetual funding across venues, normalised to 8h and annualized. */
export const fundingCommand: Command = {
  name: 'funding',
  description: 'Perpetual funding across venues: per 8h, annualized, interval, next funding, spread',
  options: [ASSET_OPTION],
  sharedAnswer: true,
  guards: [assetGuard],
  isCached: assetVenueCached,
  async run(input, ctx) {
    const answer = await queryFunding(ctx, String(input.args['asset']));
    if ('failed' in answer) return answer.failed;
    const { set, perps } = answer.data;
    return {
      ok: true,
      reply: renderFunding(answer.data),
      data: { asset: set.asset, asOf: set.asOf, perps, spreadPer8h: perps.length ? perps[0].ratePer8h - perps[perps.length - 1].ratePer8h : null, failures: set.failures },
    };
  },
};
