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

/** One plain sentence on what today's level means against its own range. */
export function meaning(view: VenueHistoryView, windowLabel: string): string {
  if (!view.today || view.percentile === undefined) return 'There is no 30-day basis to rank today.';
  const level = view.today.annualized;
  const trade = level >= 0 ? 'cash-and-carry (long spot, short the future)' : 'reverse cash-and-carry (short spot, long the future)';
  if (view.percentile >= 80) return `The 30-day basis is near the top of its ${windowLabel} range, so ${trade} locks in more now than on most recent days.`;
  if (view.percentile <= 20) return `The 30-day basis is near the bottom of its ${windowLabel} range, so ${trade} locks in less now than on most recent days.`;
  return `The 30-day basis is in the middle of its ${windowLabel} range: nothing unusual for ${trade} today.`;
}

function venueText(view: VenueHistoryView, windowLabel: string): string {
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
  if (view.today) lines.push(meaning(view, windowLabel));
  return lines.join(' ');
}

export function renderHistory(set: HistorySet, views: VenueHistoryView[], windowLabel: string, png: Buffer): Reply {
  const blocks: Block[] = views.map((view) => ({ kind: 'text', text: venueText(view, windowLabel) }));
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
