import type { Command, CommandContext } from '../src/core/command.js';
import type { Block } from '../src/core/reply.js';
import { formatDays, formatFundingRate, formatPercent } from '../src/basis/format.js';
import { NoVenueAnsweredError } from '../src/market/errors.js';
import type { CurveSet, VenueFailure } from '../src/market/types.js';

interface ScannedFuture {
  asset: string;
  venue: string;
  symbol: string;
  daysToExpiry: number;
  annualizedRate: number;
  stale: boolean;
}

interface ScannedPerp {
  asset: string;
  venue: string;
  symbol: string;
  ratePer8h: number;
  annualizedRate: number;
}

/** Every watched asset's curves; an asset whose venues all fail is reported, not fatal. */
async function scan(ctx: CommandContext): Promise<{ sets: CurveSet[]; failures: (VenueFailure & { asset: string })[] }> {
  const results = await Promise.allSettled(ctx.services.watchList.map((asset) => ctx.services.market.curves(asset)));
  const sets: CurveSet[] = [];
  const failures: (VenueFailure & { asset: string })[] = [];
  results.forEach((result, index) => {
    const asset = ctx.services.watchList[index];
    if (result.status === 'fulfilled') {
      sets.push(result.value);
      failures.push(...result.value.failures.map((failure) => ({ ...failure, asset })));
    } else {
      const reason: unknown = result.reason;
      // Each venue's own reason, not the error's sentence, which would repeat "no venue answered".
      const error =
        reason instanceof NoVenueAnsweredError
          ? reason.failures.map((failure) => `${failure.venue}: ${failure.error}`).join('; ')
          : reason instanceof Error
            ? reason.message
            : String(reason);
      failures.push({ asset, venue: 'all' as never, error });
    }
  });
  return { sets, failures };
}

/** One warning per failing venue (and error), naming the assets it cost, not one per asset. */
function failureNotes(failures: (VenueFailure & { asset: string })[]): Block[] {
  const grouped = new Map<string, { venue: string; error: string; assets: string[] }>();
  for (const failure of failures) {
    const key = `${failure.venue}\u0000${failure.error}`;
    const group = grouped.get(key) ?? { venue: failure.venue, error: failure.error, assets: [] };
    group.assets.push(failure.asset);
    grouped.set(key, group);
  }
  return [...grouped.values()].map((group) => ({
    kind: 'note',
    tone: 'warn',
    text: `${group.venue === 'all' ? 'No venue answered' : `${group.venue} did not answer`} for ${group.assets.join(', ')}: ${group.error}`,
  }));
}

const futureRow = (future: ScannedFuture): string[] => [
  future.asset,
  future.venue,
  future.symbol,
  formatDays(future.daysToExpiry),
  formatPercent(future.annualizedRate) + (future.stale ? ' (stale)' : ''),
];

/** `/top [n]`: the most backwardated and most contango contracts of the watch list, and funding extremes. */
export const topCommand: Command = {
  name: 'top',
  description: 'Scanner: most backwardated and most contango contracts, and extreme funding, across the watch list',
  options: [{ name: 'n', description: 'How many of each (1-20)', type: 'integer', min: 1, max: 20 }],
  sharedAnswer: true,
  isCached: (_args, ctx) => ctx.services.watchList.every((asset) => ctx.services.market.isCached(asset)),
  async run(input, ctx) {
    const n = Number(input.args['n'] ?? 5);
    const { sets, failures } = await scan(ctx);
    if (sets.length === 0) {
      // Nothing answered: empty tables would read as "no contract is in backwardation", a market claim we cannot make.
      return {
        ok: false,
        reply: {
          title: 'Basis scanner: no data',
          tone: 'error',
          blocks: [{ kind: 'text', text: `No venue answered for any asset on the watch list (${ctx.services.watchList.join(', ')}), so there is nothing to rank. Try again shortly.` }, ...failureNotes(failures)],
          actions: [{ id: 'refresh', label: 'Refresh' }],
        },
        data: { backwardated: [], contango: [], fundingExtremes: [], failures },
      };
    }
    const futures: ScannedFuture[] = sets.flatMap((set) =>
      set.curves.flatMap((curve) => curve.futures.map((future) => ({ asset: set.asset, venue: curve.venue, symbol: future.symbol, daysToExpiry: future.daysToExpiry, annualizedRate: future.annualizedRate, stale: future.stale }))),
    );
    const perps: ScannedPerp[] = sets.flatMap((set) =>
      set.curves.flatMap((curve) =>
        curve.perp?.funding ? [{ asset: set.asset, venue: curve.venue, symbol: curve.perp.symbol, ratePer8h: curve.perp.funding.ratePer8h, annualizedRate: curve.perp.funding.annualizedRate }] : [],
      ),
    );
    const backwardated = futures.filter((future) => future.annualizedRate < 0).sort((a, b) => a.annualizedRate - b.annualizedRate).slice(0, n);
    const contango = futures.filter((future) => future.annualizedRate > 0).sort((a, b) => b.annualizedRate - a.annualizedRate).slice(0, n);
    const byFunding = [...perps].sort((a, b) => b.ratePer8h - a.ratePer8h);
    const fundingExtremes = [...byFunding.slice(0, n), ...byFunding.slice(-n).filter((perp) => !byFunding.slice(0, n).includes(perp))];

    const head = ['Asset', 'Venue', 'Contract', 'Days', 'Ann. basis'];
    const blocks: Block[] = [
      backwardated.length
        ? { kind: 'table', title: `Most backwardated (spot above futures)`, head, rows: backwardated.map(futureRow) }
        : { kind: 'text', text: 'No contract on the watch list is in backwardation.' },
      contango.length
        ? { kind: 'table', title: `Most contango (futures above spot)`, head, rows: contango.map(futureRow) }
        : { kind: 'text', text: 'No contract on the watch list is in contango.' },
      fundingExtremes.length === 0
        ? { kind: 'text', text: 'No perpetual funding rate was available.' }
        : {
            kind: 'table',
            title: 'Funding extremes (per 8h)',
            head: ['Asset', 'Venue', 'Perp', 'Per 8h', 'Annualized'],
            rows: fundingExtremes.map((perp) => [perp.asset, perp.venue, perp.symbol, formatFundingRate(perp.ratePer8h), formatPercent(perp.annualizedRate)]),
          },
      { kind: 'note', tone: 'info', text: `Watch list: ${ctx.services.watchList.join(', ')}. Annualized basis is simple ACT/365 against each venue's spot.` },
      ...failureNotes(failures),
    ];
    return {
      ok: true,
      reply: { title: `Basis scanner: top ${n}`, tone: 'neutral', blocks, actions: [{ id: 'refresh', label: 'Refresh' }] },
      data: { backwardated, contango, fundingExtremes, failures },
    };
  },
};
