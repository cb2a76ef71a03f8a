import type { Command } from '../src/core/command.js';
import { ASSET_VENUE_GUARDS, ASSET_VENUE_OPTIONS, assetVenueCached, queryAssetVenue, toneForState } from '../src/core/market-query.js';
import type { Block, Reply } from '../src/core/reply.js';
import { explainState } from '../src/basis/explain.js';
import { curveTable, fundingLine, PERP_ROW_LEGEND } from '../src/render/curve-table.js';
import { provenanceNotes } from '../src/render/provenance.js';

/** `/basis <asset> [venue]`: the whole term structure per venue, its state, and what it means. */
export const basisCommand: Command = {
  name: 'basis',
  description: 'Futures basis per venue: spot, perp funding, every dated future, and what the curve means',
  options: ASSET_VENUE_OPTIONS,
  sharedAnswer: true,
  guards: ASSET_VENUE_GUARDS,
  isCached: assetVenueCached,
  async run(input, ctx) {
    const answer = await queryAssetVenue(input, ctx);
    if ('failed' in answer) return answer.failed;
    const { set, venue, summary } = answer;
    const blocks: Block[] = [];
    for (const curve of set.curves) {
      blocks.push(curveTable(curve));
      const funding = fundingLine(curve);
      if (funding) blocks.push({ kind: 'text', text: funding });
    }
    for (const paragraph of set.curves.length ? explainState(summary) : []) blocks.push({ kind: 'text', text: paragraph });
    if (set.curves.some((curve) => curve.perp)) blocks.push({ kind: 'note', tone: 'info', text: PERP_ROW_LEGEND });
    blocks.push(...provenanceNotes(set));
    const tone = toneForState(summary.state);
    const reply: Reply = {
      title: `${set.asset} basis: ${summary.state}${venue ? ` on ${venue}` : ''}`,
      tone,
      blocks,
      actions: [{ id: 'refresh', label: 'Refresh' }],
    };
    return { ok: true, reply, data: { asset: set.asset, asOf: set.asOf, state: summary.state, curves: set.curves, failures: set.failures, notListed: set.notListed } };
  },
};
