import type { Command, CommandContext, CommandResult, Guard, OptionSpec } from '../src/core/command.js';
import { ASSET_VENUE_GUARDS, ASSET_VENUE_OPTIONS, assetVenueCached, queryCurves, toneForState } from '../src/core/market-query.js';
import type { Block, Reply } from '../src/core/reply.js';
import { explainState, summarizeCurves, type StateSummary } from '../src/basis/explain.js';
import { curveTable, fundingLine, PERP_ROW_LEGEND } from '../src/render/curve-table.js';
import { executableSection, parseSize } from '../src/render/executable.js';
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

/** `size=250k`: the USD notional to execute against the order books (a string: 250k and 1m are not numbers). */
const SIZE_OPTION: OptionSpec = { name: 'size', description: 'USD notional to execute at the order books, e.g. 250k or 1m', type: 'string' };

/** A bad size is refused before any venue is asked. */
const sizeGuard: Guard = (input) => {
  const raw = input.args['size'];
  if (raw === undefined) return undefined;
  const size = parseSize(String(raw));
  return typeof size === 'number' ? undefined : size.error;
};

/** `/basis <asset> [venue] [size=<notional>]`: the whole term structure per venue, its state, what it means, and at a size what it executes at. */
export const basisCommand: Command = {
  name: 'basis',
  description: 'Futures basis per venue: spot, perp funding, every dated future, and what the curve means',
  options: [...ASSET_VENUE_OPTIONS, SIZE_OPTION],
  sharedAnswer: true,
  guards: [...ASSET_VENUE_GUARDS, sizeGuard],
  // Order books are never cached: with a size the answer always waits on the venues.
  isCached: (args, ctx) => args['size'] === undefined && assetVenueCached(args, ctx),
  async run(input, ctx) {
    const answer = await queryBasis(ctx, String(input.args['asset']), input.args['venue'] as VenueId | undefined);
    if ('failed' in answer) return answer.failed;
    const { set, summary } = answer.data;
    // `ask --json` keeps its documented shape: the set's numbers and the state, not the summary.
    const json = { asset: set.asset, asOf: set.asOf, state: summary.state, curves: set.curves, failures: set.failures, notListed: set.notListed };
    const reply = renderBasis(answer.data);
    const size = input.args['size'];
    if (size === undefined) return { ok: true, reply, data: json };
    const section = await executableSection(ctx.services.history, set, String(size));
    if ('error' in section) return { ok: false, reply: section.error };
    return { ok: true, reply: { ...reply, blocks: [...reply.blocks, ...section.blocks] }, data: { ...json, executable: section.data } };
  },
};
