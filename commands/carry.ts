import { compareCarry } from '../src/basis/carry.js';
import { formatPercent } from '../src/basis/format.js';
import type { Command, CommandContext, CommandResult } from '../src/core/command.js';
import { ASSET_OPTION, assetGuard, queryCurves, VENUE_OPTION, venueGuard } from '../src/core/market-query.js';
import { errorReply, type Block } from '../src/core/reply.js';
import type { VenueCurve, VenueId } from '../src/market/types.js';
import { CARRY_LEGEND, carrySummary, carryTable, type CarryRow } from '../src/render/carry.js';

/** `borrow=5%`, `borrow=0.05` and `borrow=5` all mean 5 %/yr (a bare number above 1 is a percent). */
export function parseBorrow(raw: string | undefined): number | undefined | { error: string } {
  if (raw === undefined) return undefined;
  const percent = raw.trim().endsWith('%');
  const value = Number(raw.trim().replace(/%$/, ''));
  if (!Number.isFinite(value) || value < 0 || value > 1000) return { error: `borrow must be a yearly rate such as 5% or 0.05, not "${raw}"` };
  return percent || value > 1 ? value / 100 : value;
}

async function venueRows(ctx: CommandContext, curve: VenueCurve, borrowApr: number | undefined): Promise<CarryRow[]> {
  const funding = curve.perp?.funding;
  if (!curve.perp || !funding) return [];
  // Without history the trailing scenario is left out rather than guessed.
  const trailing = await ctx.services.history?.trailingFunding(curve.venue, curve.perp.symbol, 7).catch(() => undefined);
  return curve.futures.flatMap((future) => {
    const comparison = compareCarry({
      spot: curve.spot.price,
      future: future.price,
      daysToExpiry: future.daysToExpiry,
      fundingNow: funding.annualizedRate,
      fundingTrailing: trailing,
      borrowApr,
    });
    return comparison ? [{ venue: curve.venue, symbol: future.symbol, comparison }] : [];
  });
}

export async function runCarry(ctx: CommandContext, asset: string, venue: VenueId | undefined, borrowRaw: string | undefined): Promise<CommandResult> {
  const borrow = parseBorrow(borrowRaw);
  if (typeof borrow === 'object') return { ok: false, reply: errorReply(borrow.error, 'Example: /carry SOL borrow=8%') };
  const live = await queryCurves(ctx, asset, venue);
  if ('failed' in live) return live.failed;
  const perVenue = await Promise.all(live.set.curves.map(async (curve) => ({ curve, rows: await venueRows(ctx, curve, borrow) })));
  const blocks: Block[] = [];
  for (const { curve, rows } of perVenue) {
    if (rows.length) blocks.push(carryTable(curve.venue, rows));
    else blocks.push({ kind: 'note', tone: 'info', text: `${curve.venue}: ${curve.perp?.funding ? 'no dated futures' : 'no perp funding'} for ${live.set.asset}, nothing to compare.` });
  }
  const rows = perVenue.flatMap((entry) => entry.rows);
  blocks.push({ kind: 'text', text: carrySummary(rows) });
  if (rows.some((row) => row.comparison.direction === 'reverse cash-and-carry')) {
    blocks.push(
      borrow === undefined
        ? { kind: 'note', tone: 'warn', text: 'Reverse cash-and-carry shorts spot, and the cost of borrowing it is unknown here: taken as 0. Pass borrow=<yearly rate> (e.g. borrow=8%) for your own.' }
        : { kind: 'note', tone: 'info', text: `Borrow cost of the short spot leg: ${formatPercent(borrow)}/yr, taken off both hedges.` },
    );
  }
  if (!ctx.services.history) blocks.push({ kind: 'note', tone: 'info', text: 'No funding history here: the 7-day average column is empty.' });
  blocks.push({ kind: 'note', tone: 'info', text: CARRY_LEGEND });
  for (const failure of live.set.failures) blocks.push({ kind: 'note', tone: 'warn', text: `${failure.venue} did not answer: ${failure.error}.` });
  return {
    ok: true,
    reply: { title: `${live.set.asset} carry: future or perp?`, tone: 'neutral', blocks },
    data: { asset: live.set.asset, asOf: live.set.asOf, borrowApr: borrow ?? 0, rows, failures: live.set.failures },
  };
}

/** `/carry <asset> [venue] [borrow=<apr>]`: lock the basis with a future, or roll the perp? */
export const carryCommand: Command = {
  name: 'carry',
  description: 'Lock the basis with a future or roll the perp: which pays more, and the break-even funding rate',
  options: [ASSET_OPTION, VENUE_OPTION, { name: 'borrow', description: 'Yearly cost of borrowing spot for a short leg, e.g. 8%', type: 'string' }],
  sharedAnswer: true,
  guards: [assetGuard, venueGuard],
  isCached: () => false,
  run(input, ctx) {
    return runCarry(ctx, String(input.args['asset']), input.args['venue'] as VenueId | undefined, input.args['borrow'] as string | undefined);
  },
};
