import type { Block } from '../core/reply.js';
import { formatAge } from '../basis/format.js';
import type { CurveSet } from '../market/types.js';

/**
 * The notes that make a market reply trustworthy: where the numbers came from, which
 * venues failed or do not list the asset, and which quotes are stale.
 */
export function provenanceNotes(set: Pick<CurveSet, 'curves' | 'failures' | 'notListed'>, staleAfterMs?: number): Block[] {
  const notes: Block[] = [];
  for (const failure of set.failures) {
    notes.push({ kind: 'note', tone: 'warn', text: `${failure.venue} did not answer: ${failure.error}. The other venues are shown.` });
  }
  const stale = set.curves.filter((curve) => curve.stale);
  for (const curve of stale) {
    const oldest = Math.max(curve.spot.ageMs, curve.perp?.ageMs ?? 0, ...curve.futures.map((future) => future.ageMs));
    const limit = staleAfterMs ? ` (limit ${formatAge(staleAfterMs)})` : '';
    notes.push({ kind: 'note', tone: 'warn', text: `${curve.venue} quotes are stale: the oldest is ${formatAge(oldest)} old${limit}. Treat its numbers with care.` });
  }
  if (set.notListed.length > 0) {
    notes.push({ kind: 'note', tone: 'info', text: `Not listed on ${set.notListed.join(', ')}.` });
  }
  if (set.curves.length > 0) {
    const ages = set.curves.map((curve) => `${curve.venue} ${formatAge(curve.spot.ageMs)}${curve.refreshing ? ` (cached ${formatAge(curve.refreshing.quotesAgeMs)} ago, refreshing)` : ''}`).join(', ');
    notes.push({
      kind: 'note',
      tone: 'info',
      text: `Source: ${set.curves.map((curve) => curve.venue).join(', ')} via ccxt. Prices are bid/ask mid unless marked mark or last. Quote age: ${ages}.`,
    });
  }
  return notes;
}
