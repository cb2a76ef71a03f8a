import type { Command, CommandContext, CommandResult } from '../src/core/command.js';
import { ASSET_VENUE_GUARDS, ASSET_VENUE_OPTIONS, assetVenueCached, queryCurves, toneForState } from '../src/core/market-query.js';
import type { Block, Reply } from '../src/core/reply.js';
import { explainState, summarizeCurves, type StateSummary } from '../src/basis/explain.js';
import { curveTable, fundingLine, PERP_ROW_LEGEND } from '../src/render/curve-table.js';
import { provenanceNotes } from '../src/render/provenance.js';
import type { CurveSet, VenueId } from '../src/market/types.js';

/** What `/basis` knows before it says anything: the curves, the venue asked for, and their summary. */
export interface BasisData {
  set: CurveSet;
  venue?: VenueId;
  summary: StateSummary;
}

/** Typed data from a CurveSet already fetched (the digest shares one fetch across many chats). */
export function basisData(set: CurveSet, venue?: VenueId): BasisData {
  return { set, venue, summary: summarizeCurves(set.curves) };
}

/** The query step: curves for the asset, or the user-facing error result (unknown asset, no venue). */
export async function queryBasis(ctx: CommandContext, asset: string, venue?: VenueId): Promise<{ data: BasisData } | { failed: CommandResult }> {
  const answer = await queryCurves(ctx, asset, venue);
  return 'failed' in answer ? answer : { data: basisData(answer.set, venue) };
}

/** The render step: every venue's table and funding line, what the state means, and where the numbers came from. */
export function renderBasis({ set, venue, summary }: BasisData): Reply {
  const blocks: Block[] = [];
  for (const curve of set.curves) {
    blocks.push(curveTable(curve));
    const funding = fundingLine(curve);
    if (funding) blocks.push({ kind: 'text', text: funding });
  }
  for (const paragraph of set.curves.length ? explainState(summary) : []) blocks.push({ kind: 'text', text: paragraph });
  if (set.curves.some((curve) => curve.perp)) blocks.push({ kind: 'note', tone: 'info', text: PERP_ROW_LEGEND });
  blocks.push(...provenanceNotes(set));
  return {
    title: `${set.asset} basis: ${summary.state}${venue ? ` on ${venue}` : ''}`,
    tone: toneForState(summary.state),
    blocks,
    actions: [{ id: 'refresh', label: 'Refresh' }],
  };
}

/** `/basis <asset> [venue]`: the whole term structure per venue, its state, and what it means. */
export const basisCommand: Command = {
  name: 'basis',
  description: 'Futures basis per venue: spot, perp funding, every dated future, and what the curve means',
  options: ASSET_VENUE_OPTIONS,
  sharedAnswer: true,
  guards: ASSET_VENUE_GUARDS,
  isCached: assetVenueCached,
  async run(input, ctx) {
    const answer = await queryBasis(ctx, String(input.args['asset']), input.args['venue'] as VenueId | undefined);
    if ('failed' in answer) return answer.failed;
    const { set, summary } = answer.data;
    // `ask --json` keeps its documented shape: the set's numbers and the state, not the summary.
    const json = { asset: set.asset, asOf: set.asOf, state: summary.state, curves: set.curves, failures: set.failures, notListed: set.notListed };
    return { ok: true, reply: renderBasis(answer.data), data: json };
  },
};
