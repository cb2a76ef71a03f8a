import type { Command, CommandContext, CommandResult } from '../src/core/command.js';
import { ASSET_VENUE_GUARDS, ASSET_VENUE_OPTIONS, assetVenueCached, toneForState } from '../src/core/market-query.js';
import type { Block, Reply } from '../src/core/reply.js';
import type { CurveChartInput } from '../src/core/services.js';
import type { PastCurve } from '../src/market/history-service.js';
import type { VenueFailure } from '../src/market/types.js';
import { formatDays, formatPercent } from '../src/basis/format.js';
import { provenanceNotes } from '../src/render/provenance.js';
import { chartCacheFor, curveChartKey } from '../src/render/curve-chart-cache.js';
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

/** `overlay=7d`: how far back the dashed curve is drawn. */
const OVERLAYS: Record<string, number> = { '7d': 7 };
const DAY_MS = 86_400_000;

/** The earlier curves drawn under today's, where they came from, and the venues that had none. */
export interface CurveOverlay {
  label: string;
  curves: PastCurve[];
  series: CurveChartInput['series'];
  missing: VenueFailure[];
}

/** What `/curve` shows: the basis data plus the chart it draws from it. */
export interface CurveData extends BasisData {
  series: CurveChartInput['series'];
  overlay?: CurveOverlay;
  png: Buffer;
}

/** Past curves in the chart's shape: funding at zero tenor, then each future at its days to expiry then. */
function pastSeries(curves: PastCurve[]): CurveChartInput['series'] {
  return curves.map((curve) => ({
    venue: curve.venue,
    points: [
      ...(curve.fundingAnnualized === undefined ? [] : [{ daysToExpiry: 0, annualizedRate: curve.fundingAnnualized, label: 'perp funding' }]),
      ...curve.futures.map((future) => ({ daysToExpiry: future.daysToExpiry, annualizedRate: future.annualizedRate, label: future.symbol })),
    ],
  }));
}

async function queryOverlay(ctx: CommandContext, asset: string, venues: VenueId[], label: string): Promise<CurveOverlay> {
  const history = ctx.services.history;
  if (!history) return { label, curves: [], series: [], missing: venues.map((venue) => ({ venue, error: 'no history service here' })) };
  const past = await history.pastCurves(asset, ctx.now() - OVERLAYS[label] * DAY_MS, venues.length === 1 ? venues[0] : undefined);
  const curves = past.curves.filter((curve) => venues.includes(curve.venue));
  const missing = venues
    .filter((venue) => !curves.some((curve) => curve.venue === venue))
    .map((venue) => past.failures.find((failure) => failure.venue === venue) ?? { venue, error: 'no recorded snapshot and no daily candles then' });
  return { label, curves, series: pastSeries(curves), missing };
}

/** The query step: the curves (shared with /basis) and their chart, with last week's under it when asked. */
export async function queryCurve(ctx: CommandContext, asset: string, venue?: VenueId, overlayLabel?: string): Promise<{ data: CurveData } | { failed: CommandResult }> {
  const answer = await queryBasis(ctx, asset, venue);
  if ('failed' in answer) return answer;
  const { set } = answer.data;
  const series = chartSeries(set.curves);
  const overlay = overlayLabel ? await queryOverlay(ctx, set.asset, set.curves.map((curve) => curve.venue), overlayLabel) : undefined;
  const chart = { asset: set.asset, asOf: set.asOf, series, overlay: overlay && { label: `${overlay.label} ago`, series: overlay.series } };
  // Drawn once per quote refresh: calls on the same quotes share the PNG (curve-chart-cache.ts).
  const drawer = ctx.services.renderCurveChart;
  const png = await chartCacheFor(drawer).get(curveChartKey({ set, venue, overlay: chart.overlay }), () => drawer(chart));
  return { data: { ...answer.data, series, overlay, png } };
}

/** One line on the dashed curves: when each is from and where it came from. */
function overlayLines(overlay: CurveOverlay): Block[] {
  const blocks: Block[] = [];
  if (overlay.curves.length) {
    // Venues from the same instant and source share one clause: four identical timestamps read as noise.
    const groups = new Map<string, string[]>();
    for (const curve of overlay.curves) {
      const when = `${new Date(curve.at).toISOString().slice(0, 16).replace('T', ' ')} UTC (${curve.source === 'recorded' ? 'recorded by the bot' : 'daily close, OHLCV'})`;
      groups.set(when, [...(groups.get(when) ?? []), curve.venue]);
    }
    const parts = [...groups].map(([when, venues]) => `${venues.join(', ')} ${when}`);
    blocks.push({ kind: 'text', text: `Dashed: the curve ${overlay.label} ago: ${parts.join('; ')}.` });
  }
  for (const missing of overlay.missing) blocks.push({ kind: 'note', tone: 'warn', text: `${missing.venue}: no curve from ${overlay.label} ago to overlay (${missing.error}).` });
  return blocks;
}

/** The render step: one summary line per venue under the chart, with provenance. */
export function renderCurve({ set, venue, summary, png, overlay }: CurveData): Reply {
  const blocks: Block[] = [{ kind: 'text', text: set.curves.map(summaryLine).join('\n') }, ...(overlay ? overlayLines(overlay) : []), ...provenanceNotes(set)];
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
  options: [...ASSET_VENUE_OPTIONS, { name: 'overlay', description: 'Also draw the curve as it was this long ago, dashed', type: 'string', choices: Object.keys(OVERLAYS) }],
  sharedAnswer: true,
  guards: ASSET_VENUE_GUARDS,
  // Last week's curve may need daily candles from the venues: never instant with an overlay.
  isCached: (args, ctx) => args['overlay'] === undefined && assetVenueCached(args, ctx),
  async run(input, ctx) {
    const overlayLabel = input.args['overlay'] as string | undefined;
    const answer = await queryCurve(ctx, String(input.args['asset']), input.args['venue'] as VenueId | undefined, overlayLabel);
    if ('failed' in answer) return answer.failed;
    const { set, summary, series, overlay } = answer.data;
    return {
      ok: true,
      reply: renderCurve(answer.data),
      data: { asset: set.asset, asOf: set.asOf, state: summary.state, series, ...(overlay ? { overlay } : {}), failures: set.failures, notListed: set.notListed },
    };
  },
};
