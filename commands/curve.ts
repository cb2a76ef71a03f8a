import type { Command } from '../src/core/command.js';
import { ASSET_VENUE_GUARDS, ASSET_VENUE_OPTIONS, assetVenueCached, queryAssetVenue, toneForState } from '../src/core/market-query.js';
import type { Block } from '../src/core/reply.js';
import type { CurveChartInput } from '../src/core/services.js';
import { formatDays, formatPercent } from '../src/basis/format.js';
import { provenanceNotes } from '../src/render/provenance.js';
import type { VenueCurve } from '../src/market/types.js';

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

/** `/curve <asset> [venue]`: the term structure as a chart, one line per venue. */
export const curveCommand: Command = {
  name: 'curve',
  description: 'Term structure chart: annualized basis per expiry, perp funding at zero tenor, one line per venue',
  options: ASSET_VENUE_OPTIONS,
  sharedAnswer: true,
  guards: ASSET_VENUE_GUARDS,
  isCached: assetVenueCached,
  async run(input, ctx) {
    const answer = await queryAssetVenue(input, ctx);
    if ('failed' in answer) return answer.failed;
    const { set, venue, summary } = answer;
    const series = chartSeries(set.curves);
    const png = await ctx.services.renderCurveChart({ asset: set.asset, asOf: set.asOf, series });
    const blocks: Block[] = [{ kind: 'text', text: set.curves.map(summaryLine).join('\n') }, ...provenanceNotes(set)];
    const tone = toneForState(summary.state);
    return {
      ok: true,
      reply: {
        title: `${set.asset} term structure: ${summary.state}${venue ? ` on ${venue}` : ''}`,
        tone,
        blocks,
        image: { name: `curve-${set.asset}.png`, png, alt: `${set.asset} annualized basis by days to expiry, ${set.curves.map((curve) => curve.venue).join(', ')}` },
        actions: [{ id: 'refresh', label: 'Refresh' }],
      },
      data: { asset: set.asset, asOf: set.asOf, state: summary.state, series, failures: set.failures, notListed: set.notListed },
    };
  },
};
