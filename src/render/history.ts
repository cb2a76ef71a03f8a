import { constantMaturity, extremes, mean, percentileRank, type ConstantMaturity, type DatedValue } from '../basis/history.js';
import { formatPercent } from '../basis/format.js';
import type { Block, Reply } from '../core/reply.js';
import type { HistorySet, VenueHistory } from '../market/history-service.js';
import type { VenueCurve } from '../market/types.js';

/** One venue's /history answer: today's level from the live curve, ranked against the window. */
export interface VenueHistoryView {
  venue: string;
  today?: ConstantMaturity;
  fundingToday?: number;
  series: DatedValue[];
  fundingSeries: DatedValue[];
  percentile?: number;
  highest?: DatedValue;
  lowest?: DatedValue;
  fundingMean?: number;
  /** Days on which no contract sat on each side of 30 days, so one contract stood in. */
  standIns: number;
  notes: string[];
}

const METHOD_WORDS: Record<ConstantMaturity['method'], string> = {
  interpolated: 'interpolated between',
  exact: 'read from',
  'single-contract': 'from the only contract,',
  nearest: 'from the nearest contract,',
};

/** Today's level (live curve) against the closed days of the window; today joins the extremes. */
export function historyView(history: VenueHistory, curve: VenueCurve | undefined, todayDate: string): VenueHistoryView {
  const today = curve ? constantMaturity(curve.futures.map((f) => ({ days: f.daysToExpiry, annualized: f.annualizedRate, symbol: f.symbol }))) : undefined;
  const series = history.days.flatMap((day) => (day.cm ? [{ date: day.date, value: day.cm.annualized }] : []));
  const fundingSeries = history.days.flatMap((day) => (day.fundingAnnualized === undefined ? [] : [{ date: day.date, value: day.fundingAnnualized }]));
  const withToday = today ? [...series, { date: todayDate, value: today.annualized }] : series;
  const range = extremes(withToday);
  return {
    venue: history.venue,
    today,
    fundingToday: curve?.perp?.funding?.annualizedRate,
    series,
    fundingSeries,
    percentile: today ? percentileRank(series.map((point) => point.value), today.annualized) : undefined,
    highest: range?.highest,
    lowest: range?.lowest,
    fundingMean: mean(fundingSeries.map((point) => point.value)),
    standIns: history.days.filter((day) => day.cm && day.cm.method !== 'interpolated' && day.cm.method !== 'exact').length,
    notes: history.notes,
  };
}

/** How many days in a row, up to today, funding has had today's sign (closed days, then today's rate). */
export function fundingStreak(view: Pick<VenueHistoryView, 'fundingSeries' | 'fundingToday'>): { sign: 'positive' | 'negative'; days: number; wholeWindow: boolean } | undefined {
  const values = [...view.fundingSeries.map((point) => point.value), ...(view.fundingToday === undefined ? [] : [view.fundingToday])];
  const last = values.at(-1);
  if (last === undefined || last === 0) return undefined;
  let days = 0;
  for (let index = values.length - 1; index >= 0 && Math.sign(values[index]) === Math.sign(last); index -= 1) days += 1;
  // A streak as long as the data only says "at least": it began before the window did.
  return { sign: last > 0 ? 'positive' : 'negative', days, wholeWindow: days === values.length };
}

/**
 * One plain sentence on what today's level means against its own range, for the trade the
 * sign implies. Cash-and-carry earns the basis and reverse cash-and-carry earns minus the
 * basis, so in backwardation the bottom of the range is where the trade locks in the most.
 */
export function meaning(view: VenueHistoryView, windowLabel: string, asset: string): string {
  if (!view.today || view.percentile === undefined) return 'There is no 30-day basis to rank today.';
  const contango = view.today.annualized >= 0;
  const shape = contango ? 'contango' : 'backwardation';
  const trade = contango ? 'cash-and-carry (long spot, short the future)' : 'reverse cash-and-carry (short spot, long the future)';
  // The trade's own rank: 100 = it locks in more today than on any day of the window.
  const edge = contango ? view.percentile : 100 - view.percentile;
  const [more, less] = contango ? ['steeper', 'flatter'] : ['deeper', 'shallower'];
  const lead =
    edge === 100
      ? `${asset}'s ${shape} is the ${contango ? 'steepest' : 'deepest'} in ${windowLabel}`
      : edge >= 80
        ? `${asset}'s ${shape} is ${more} than on most days of the last ${windowLabel}`
        : edge <= 20
          ? `${asset}'s ${shape} is ${less} than on most days of the last ${windowLabel}`
          : `${asset}'s ${shape} is in the middle of its ${windowLabel} range`;
  const streak = fundingStreak(view);
  const funding = !streak || streak.days < 2 ? '' : streak.wholeWindow ? `, while funding has been ${streak.sign} throughout the ${windowLabel}` : `, while funding has been ${streak.sign} for ${streak.days} days`;
  // Deep backwardation with shorts paying longs is a crowded short; how long it has lasted is the news.
  const crowd =
    edge >= 80 && streak && streak.days >= 2 && (contango ? streak.sign === 'positive' : streak.sign === 'negative')
      ? contango
        ? streak.days >= 7 ? 'leveraged longs have been paying up for a while, and ' : 'leveraged longs are paying up, and '
        : streak.days >= 7 ? 'a squeeze that is getting older, and ' : 'shorts are crowding in, and '
      : '';
  const verdict = edge === 100 ? `${trade} locks in more than on any day of the window` : edge >= 80 ? `${trade} locks in more than on most days` : edge <= 20 ? `${trade} locks in less than on most days` : `nothing unusual for ${trade}`;
  return `${lead}${funding}: ${crowd}${verdict}.`;
}

function venueText(view: VenueHistoryView, windowLabel: string, asset: string): string {
  const lines: string[] = [];
  if (view.today) {
    const from = view.today.from.map((point) => point.symbol).join(' and ');
    const rank = view.percentile === undefined ? 'no closed days to rank against' : `percentile ${Math.round(view.percentile)} of the last ${windowLabel}`;
    lines.push(`${view.venue}: 30-day basis today ${formatPercent(view.today.annualized)}/yr (${METHOD_WORDS[view.today.method]} ${from}), ${rank}.`);
  } else {
    lines.push(`${view.venue}: no dated futures today, so no 30-day basis.`);
  }
  if (view.highest && view.lowest) {
    lines.push(`Highest ${formatPercent(view.highest.value)} on ${view.highest.date}, lowest ${formatPercent(view.lowest.value)} on ${view.lowest.date}.`);
  }
  if (view.fundingToday !== undefined || view.fundingMean !== undefined) {
    const now = view.fundingToday === undefined ? 'n/a' : `${formatPercent(view.fundingToday)}/yr`;
    const avg = view.fundingMean === undefined ? 'no funding history' : `${formatPercent(view.fundingMean)}/yr on average over the window`;
    lines.push(`Perp funding today ${now}; ${avg}.`);
  }
  if (view.today) lines.push(meaning(view, windowLabel, asset));
  return lines.join(' ');
}

export function renderHistory(set: HistorySet, views: VenueHistoryView[], windowLabel: string, png: Buffer): Reply {
  const blocks: Block[] = views.map((view) => ({ kind: 'text', text: venueText(view, windowLabel, set.asset) }));
  for (const view of views) {
    for (const note of view.notes) blocks.push({ kind: 'note', tone: 'info', text: note });
    if (view.standIns > 0) {
      blocks.push({ kind: 'note', tone: 'info', text: `${view.venue}: on ${view.standIns} of ${set.windowDays} days no contract sat on each side of 30 days; the nearest one stands in.` });
    }
  }
  for (const failure of set.failures) blocks.push({ kind: 'note', tone: 'warn', text: `${failure.venue} served no history: ${failure.error}. The other venues are shown.` });
  if (set.notListed.length) blocks.push({ kind: 'note', tone: 'info', text: `Not listed on ${set.notListed.join(', ')}.` });
  blocks.push({ kind: 'note', tone: 'info', text: 'Daily closes (UTC) of spot and every dated future via ccxt; today from the live curve. 30-day basis: linear between the contracts around 30 days.' });
  return {
    title: `${set.asset} basis history, ${windowLabel}`,
    tone: 'neutral',
    blocks,
    image: { name: `history-${set.asset}.png`, png, alt: `${set.asset} 30-day annualized basis and perp funding by day, ${views.map((view) => view.venue).join(', ')}` },
  };
}
