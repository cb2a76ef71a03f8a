import type { CarryComparison, RollScenario } from '../basis/carry.js';
import { formatDays, formatPercent } from '../basis/format.js';
import type { Block } from '../core/reply.js';

/** One future's comparison, with the venue and symbol it is about. */
export interface CarryRow {
  venue: string;
  symbol: string;
  comparison: CarryComparison;
}

const BETTER: Record<RollScenario['better'], string> = { future: 'future', perp: 'perp', equal: 'either' };

function scenarioCell(scenario: RollScenario | undefined): string {
  if (!scenario) return 'n/a';
  if (scenario.better === 'equal') return `${formatPercent(scenario.annualized)} → either`;
  // The margin is a size, not a direction: the better hedge is named beside it.
  return `${formatPercent(scenario.annualized)} → ${BETTER[scenario.better]} by ${formatPercent(Math.abs(scenario.advantageToExpiry), 3).replace(/^\+/, '')}`;
}

/**
 * One table per venue: hedge A (lock the basis with the future) against hedge B (roll the
 * perp) at today's funding and at the trailing 7-day average, and the break-even funding.
 */
export function carryTable(venue: string, rows: CarryRow[]): Block {
  return {
    kind: 'table',
    title: `${venue}: lock with the future vs roll the perp`,
    head: ['contract', 'days', 'trade', 'future locks', 'perp at funding now', 'perp at 7d avg', 'break-even funding'],
    align: ['left', 'right', 'left', 'right', 'right', 'right', 'right'],
    rows: rows.map(({ symbol, comparison: c }) => [
      symbol,
      formatDays(c.daysToExpiry),
      c.direction === 'cash-and-carry' ? 'cash & carry' : 'reverse',
      `${formatPercent(c.lockedAnnualized)}/yr`,
      scenarioCell(c.now),
      scenarioCell(c.trailing),
      `${formatPercent(c.breakEvenFunding)}/yr`,
    ]),
  };
}

/** The plain sentence under the tables: the single best contract against today's funding. */
export function carrySummary(rows: CarryRow[]): string {
  if (rows.length === 0) return 'No dated future with a perp beside it to compare.';
  const best = [...rows].sort((a, b) => b.comparison.now.advantageAnnualized - a.comparison.now.advantageAnnualized)[0];
  const { comparison: c } = best;
  if (c.now.better === 'perp') {
    return `At today's funding rolling the perp pays more than any future; the closest is ${best.symbol} on ${best.venue}, ${formatPercent(-c.now.advantageAnnualized).replace(/^\+/, '')}/yr behind.`;
  }
  const side = c.direction === 'cash-and-carry' ? 'above' : 'below';
  return `Best lock: ${best.symbol} on ${best.venue}, ${formatPercent(c.now.advantageAnnualized)}/yr more than rolling the perp at today's funding (${formatPercent(c.now.advantageToExpiry, 3)} of the notional by expiry); the perp would need funding ${side} ${formatPercent(c.breakEvenFunding)}/yr to match it.`;
}

/** Cells in the table: "future by x%" is what hedge A earns over B by expiry, per unit of notional. */
export const CARRY_LEGEND =
  'Per unit of spot notional: "future locks" is the annualized basis you lock (net of borrow for a short spot leg); the perp columns roll the perp at a constant funding rate and name the better hedge and by how much by expiry. Break-even: the funding at which both pay the same. Fees and the perp premium are not included.';
