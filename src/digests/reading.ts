/**
 * The digest's plain-language reading: a sentence per market state present (not per asset, so
 * five assets still read as two or three sentences), naming the carry trade the curves imply,
 * its best contract and its main risk. The facts come from summarizeCurves (src/basis/explain.ts),
 * the same reduction /basis explains at length; a digest has room for the gist only.
 */
import type { CarryPick, StateSummary } from '../basis/explain.js';
import { formatPercent } from '../basis/format.js';

const list = (assets: string[]) => assets.join(', ');

function best(picks: (CarryPick | undefined)[]): string {
  const pick = picks.filter((p): p is CarryPick => p !== undefined).sort((a, b) => b.annualizedReturn - a.annualizedReturn)[0];
  return pick ? `, best ${pick.symbol} on ${pick.venue} at ${formatPercent(pick.annualizedReturn)} a year before costs` : '';
}

const inState = (state: string) => (state === 'flat' || state === 'mixed' ? state : `in ${state}`);

/** Why a mixed market has no single trade: the venues disagree, or a curve bends. */
function mixedReason(summary: StateSummary): string {
  const states = new Set(summary.venueStates.map((venue) => venue.state));
  if (states.size > 1) return `venues disagree: ${summary.venueStates.map((venue) => `${venue.venue} ${venue.state}`).join(', ')}`;
  const kink = summary.kinks[0];
  return kink ? `front ${inState(kink.shape.front.state)}, back ${inState(kink.shape.back.state)}` : 'contracts disagree along the curve';
}

/** Sentences in a fixed order (contango, backwardation, mixed, flat), one per state present. */
export function readingSentences(summaries: StateSummary[]): string[] {
  const of = (state: StateSummary['state']) => summaries.filter((summary) => summary.state === state);
  const sentences: string[] = [];
  const contango = of('contango');
  if (contango.length) {
    sentences.push(`Contango on ${list(contango.map((s) => s.asset))} favours cash-and-carry (buy spot, sell the future)${best(contango.map((s) => s.bestContango))}; the main risk is the basis widening before expiry.`);
  }
  const backwardation = of('backwardation');
  if (backwardation.length) {
    const squeezed = backwardation.filter((s) => s.squeeze.length > 0).map((s) => s.asset);
    const risk = squeezed.length
      ? ` ${list(squeezed)} pairs it with negative funding, a possible supply squeeze: squeezes end abruptly and the borrowed coin can be recalled.`
      : ' The main risk is the cost and recall of the borrowed coin.';
    sentences.push(`Backwardation on ${list(backwardation.map((s) => s.asset))} favours reverse cash-and-carry (buy the future, borrow and sell spot)${best(backwardation.map((s) => s.bestBackwardation))}.${risk}`);
  }
  const mixed = of('mixed');
  if (mixed.length) sentences.push(`${list(mixed.map((s) => `${s.asset} (${mixedReason(s)})`))} ${mixed.length > 1 ? 'are' : 'is'} mixed, so no single carry trade fits.`);
  const flat = of('flat');
  if (flat.length) sentences.push(`${list(flat.map((s) => s.asset))} ${flat.length > 1 ? 'are' : 'is'} flat: no carry is worth the fees.`);
  return sentences;
}
