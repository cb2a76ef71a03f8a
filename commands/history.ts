import type { Command, CommandContext, CommandResult } from '../src/core/command.js';
import { ASSET_OPTION, assetGuard, queryCurves, VENUE_OPTION, venueGuard } from '../src/core/market-query.js';
import { errorReply } from '../src/core/reply.js';
import type { VenueId } from '../src/market/types.js';
import { historyView, renderHistory } from '../src/render/history.js';

const WINDOWS: Record<string, number> = { '7d': 7, '30d': 30, '90d': 90 };
const DAY_MS = 86_400_000;

/** The answer without a HistoryService wired (a build without a store, say). */
export function historyUnavailable(command: string): CommandResult {
  return { ok: false, reply: errorReply(`/${command} needs the history service, which is not enabled here.`) };
}

export async function runHistory(ctx: CommandContext, asset: string, window: string, venue?: VenueId): Promise<CommandResult> {
  const history = ctx.services.history;
  if (!history) return historyUnavailable('history');
  // The live curve gives today's level, and the unknown-asset answer with suggestions.
  const live = await queryCurves(ctx, asset, venue);
  if ('failed' in live) return live.failed;
  const set = await history.history(asset, WINDOWS[window], venue);
  const todayDate = new Date(ctx.now()).toISOString().slice(0, 10);
  const views = set.venues.map((entry) => historyView(entry, live.set.curves.find((curve) => curve.venue === entry.venue), todayDate));
  const daysAgo = (date: string): number => Math.round((Date.parse(date) - Date.parse(todayDate)) / DAY_MS);
  // chart.js and the canvas load on the first chart, not with the command registry at every start.
  const { renderHistoryChart } = await import('../src/render/history-chart.js');
  const png = await renderHistoryChart({
    asset: set.asset,
    windowLabel: window,
    asOf: set.asOf,
    series: views.map((view) => ({
      venue: view.venue,
      basis: [...view.series, ...(view.today ? [{ date: todayDate, value: view.today.annualized }] : [])].map((p) => ({ daysAgo: daysAgo(p.date), annualized: p.value })),
      funding: [...view.fundingSeries, ...(view.fundingToday === undefined ? [] : [{ date: todayDate, value: view.fundingToday }])].map((p) => ({ daysAgo: daysAgo(p.date), annualized: p.value })),
    })),
  });
  const data = {
    asset: set.asset,
    window,
    asOf: set.asOf,
    venues: views.map(({ venue, today, fundingToday, percentile, highest, lowest, fundingMean, series }) => ({ venue, today, fundingToday, percentile, highest, lowest, fundingMean, series })),
    failures: set.failures,
    notListed: set.notListed,
  };
  return { ok: true, reply: renderHistory(set, views, window, png), data };
}

/** `/history <asset> [7d|30d|90d] [venue]`: the 30-day basis and funding over time, and where today sits. */
export const historyCommand: Command = {
  name: 'history',
  description: '30-day constant-maturity basis and perp funding over 7, 30 or 90 days, and where today ranks',
  options: [
    ASSET_OPTION,
    { name: 'window', description: 'How far back', type: 'string', choices: Object.keys(WINDOWS) },
    VENUE_OPTION,
  ],
  sharedAnswer: true,
  guards: [assetGuard, venueGuard],
  // Daily candles for a dozen contracts: never instant on a cold cache, so platforms defer.
  isCached: () => false,
  run(input, ctx) {
    return runHistory(ctx, String(input.args['asset']), String(input.args['window'] ?? '30d'), input.args['venue'] as VenueId | undefined);
  },
};
