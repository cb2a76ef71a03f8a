import type { Command, CommandContext, CommandResult } from '../src/core/command.js';
import { ASSET_VENUE_GUARDS, ASSET_VENUE_OPTIONS, assetVenueCached, toneForState } from '../src/core/market-query.js';
import type { Block, Reply } from '../src/core/reply.js';
import type { CurveChartInput } from '../src/core/services.js';
import { formatDays, formatPercent } from '../src/basis/format.js';
import { provenanceNotes } from '../src/render/provenance.js';
import type { VenueCurve, VenueId } from '../src/market/types.js';
import { queryBasis, type BasisData } from './basis.js';

/** The chart's series: perp funding as the zero-tenor point, then each future. */
export function chartSeries(curves: VenueCurve[]): CurveChartInput['series'] {
  return curves.map((curve) => ({
    venue: curve.venue,
    points: [
      ...(curve.perp?.funding ? [{ daysToExpiry: 0, annualizedRate: curve.perp.funding.annualizedRate, label: 'perp funding' }] : []),
      ...curve.futures.map((future) => ({ daysToExpiry: future.daysToExpiry, annualizedRate: future.annualizedRate, label: future.symbol })),
    ],
  }));
}

function summaryLine(curve: VenueCurve): string {
  const front = curve.futures[0];
  const back = curve.futures[curve.futures.length - 1];
  const funding = curve.perp?.funding ? `perp funding ${formatPercent(curve.perp.funding.annualizedRate)}/yr` : 'no perp funding';
  if (!front) return `${curve.venue}: ${curve.state}, ${funding}, no dated futures listed.`;
  const span = front === back ? `${formatPercent(front.annualizedRate)} at ${formatDays(front.daysToExpiry)}` : `${formatPercent(front.annualizedRate)} at ${formatDays(front.daysToExpiry)} to ${formatPercent(back.annualizedRate)} at ${formatDays(back.daysToExpiry)}`;
  return `${curve.venue}: ${curve.state}, annualized basis ${span}; ${funding}.`;
}

/** What `/curve` shows: the basis data plus the chart it draws from it. */
export interface CurveData extends BasisData {
  series: CurveChartInput['series'];
  png: Buffer;
}

/** The query step: the curves (shared with /basis) and their chart. */
export async function queryCurve(ctx: CommandContext, asset: string, venue?: VenueId): Promise<{ data: CurveData } | { failed: CommandResult }> {
  const answer = await queryBasis(ctx, asset, venue);
  if ('failed' in answer) return answer;
  const { set } = answer.data;
  const series = chartSeries(set.curves);
  const png = await ctx.services.renderCurveChart({ asset: set.asset, asOf: set.asOf, series });
  return { data: { ...answer.data, series, png } };
}

/** The render step: one summary line per venue under the chart, with provenance. */
export function renderCurve({ set, venue, summary, png }: CurveData): Reply {
  const blocks: Block[] = [{ kind: 'text', text: set.curves.map(summaryLine).join('\n') }, ...provenanceNotes(set)];
  return {
    title: `${set.asset} term structure: ${summary.state}${venue ? ` on ${venue}` : ''}`,
    tone: toneForState(summary.state),
    blocks,
    image: { name: `curve-${set.asset}.png`, png, alt: `${set.asset} annualized basis by days to expiry, ${set.curves.map((curve) => curve.venue).join(', ')}` },
    actions: [{ id: 'refresh', label: 'Refresh' }],
  };
}

/** `/curve <asset> [venue]`: the term structure as a chart, one line per venue. */
export const curveCommand: Command = {
  name: 'curve',
  description: 'Term structure chart: annualized basis per expiry, perp funding at zero tenor, one line per venue',
  options: ASSET_VENUE_OPTIONS,
  sharedAnswer: true,
  guards: ASSET_VENUE_GUARDS,
  isCached: assetVenueCached,
  async run(input, ctx) {
    const answer = await queryCurve(ctx, String(input.args['asset']), input.args['venue'] as VenueId | undefined);
    if ('failed' in answer) return answer.failed;
    const { set, summary, series } = answer.data;
    return {
      ok: true,
      reply: renderCurve(answer.data),
      data: { asset: set.asset, asOf: set.asOf, state: summary.state, series, failures: set.failures, notListed: set.notListed },
    };
  },
};
