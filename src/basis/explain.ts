/**
 * Plain-language explanation of a market state: what it means, which carry trade it
 * implies, what the best contract would earn, and what can go wrong. Plain text only;
 * adapters escape and style it.
 *
 * Two steps so each can be tested alone: `summarizeCurves` reduces VenueCurve[] to the
 * few facts worth saying (numbers only), `explainState` turns those facts into words.
 */
import type { MarketState, VenueCurve } from '../market/types.js';
import { formatDays, formatFundingRate, formatPercent } from './format.js';
import { carryReturnToExpiry } from './math.js';
import {
  classifyAcrossVenues,
  curveShape,
  DEFAULT_THRESHOLDS,
  isSupplySqueeze,
  meaningfulPoints,
  type CurveShape,
  type StateThresholds,
} from './state.js';

/** The best contract for one carry trade, with what it earns by expiry before costs. */
export interface CarryPick {
  venue: string;
  symbol: string;
  /** ISO expiry. */
  expiry: string;
  daysToExpiry: number;
  trade: 'cash-and-carry' | 'reverse cash-and-carry';
  /** Gross return by expiry per unit of spot, |F − S| / S. */
  returnToExpiry: number;
  annualizedReturn: number;
}

/** A per-venue number worth quoting (funding per 8h, perp premium, front basis). */
export interface VenueFigure {
  venue: string;
  value: number;
}

/** Everything explainState needs; build it with summarizeCurves or by hand in tests. */
export interface StateSummary {
  asset: string;
  state: MarketState;
  venueStates: { venue: string; state: MarketState }[];
  /** Nearest meaningful contract across venues. */
  front?: { venue: string; symbol: string; annualizedRate: number; daysToExpiry: number };
  /** Where each venue whose own curve is mixed bends (front vs back). */
  kinks: { venue: string; shape: CurveShape }[];
  /** Highest annualized contango / deepest backwardation contract across venues. */
  bestContango?: CarryPick;
  bestBackwardation?: CarryPick;
  /** Perp funding per 8h, by venue. */
  fundingPer8h: VenueFigure[];
  /** Perp premium over spot, by venue (the only signal where a venue lists no futures). */
  perpPremium: VenueFigure[];
  /** Venues showing a possible supply squeeze, with their front annualized basis. */
  squeeze: VenueFigure[];
  /** The flat band used, so the words match the classification. */
  flatBand: number;
}

function better(a: CarryPick | undefined, b: CarryPick): CarryPick {
  return !a || b.annualizedReturn > a.annualizedReturn ? b : a;
}

/**
 * Reduces one or more venue curves to a StateSummary. Picks prefer fresh legs: a stale
 * price is the likeliest cause of an outlier basis, so it is used only when nothing
 * fresher exists.
 */
export function summarizeCurves(
  curves: readonly VenueCurve[],
  thresholds?: Partial<StateThresholds>,
): StateSummary {
  const t = { ...DEFAULT_THRESHOLDS, ...thresholds };
  // A venue that lists only a perp says little about the term structure: let the venues
  // with dated futures decide, and fall back to perp-only venues when none has futures.
  const withFutures = curves.filter((c) => meaningfulPoints(c.futures, t).length > 0);
  const summary: StateSummary = {
    asset: curves[0]?.asset ?? '',
    state: classifyAcrossVenues((withFutures.length > 0 ? withFutures : curves).map((c) => c.state)),
    venueStates: curves.map((c) => ({ venue: c.venue, state: c.state })),
    kinks: [],
    fundingPer8h: [],
    perpPremium: [],
    squeeze: [],
    flatBand: t.flatBand,
  };
  const legs = curves.flatMap((curve) => meaningfulPoints(curve.futures, t).map((leg) => ({ curve, leg })));
  const fresh = legs.filter(({ curve, leg }) => !leg.stale && !curve.spot.stale);
  for (const { curve, leg } of fresh.length > 0 ? fresh : legs) {
    const carry = carryReturnToExpiry(leg.price, curve.spot.price, leg.daysToExpiry);
    if (carry.trade === 'none' || carry.annualizedReturn === undefined) continue;
    const pick: CarryPick = {
      venue: curve.venue,
      symbol: leg.symbol,
      expiry: leg.expiry,
      daysToExpiry: leg.daysToExpiry,
      trade: carry.trade,
      returnToExpiry: carry.returnToExpiry,
      annualizedReturn: carry.annualizedReturn,
    };
    if (pick.trade === 'cash-and-carry') summary.bestContango = better(summary.bestContango, pick);
    else summary.bestBackwardation = better(summary.bestBackwardation, pick);
  }
  for (const { curve, leg } of legs) {
    if (!summary.front || leg.daysToExpiry < summary.front.daysToExpiry) {
      const { symbol, annualizedRate, daysToExpiry } = leg;
      summary.front = { venue: curve.venue, symbol, annualizedRate, daysToExpiry };
    }
  }
  for (const curve of curves) {
    const shape = curve.state === 'mixed' ? curveShape(curve.futures, t) : undefined;
    if (shape) summary.kinks.push({ venue: curve.venue, shape });
    if (curve.perp?.funding) summary.fundingPer8h.push({ venue: curve.venue, value: curve.perp.funding.ratePer8h });
    if (curve.perp) summary.perpPremium.push({ venue: curve.venue, value: curve.perp.premiumRate });
    if (isSupplySqueeze(curve, t)) {
      const front = meaningfulPoints(curve.futures, t)[0];
      summary.squeeze.push({ venue: curve.venue, value: front.annualizedRate });
    }
  }
  return summary;
}

/** "+0.0100% on binance" or "from -0.0050% on okx to +0.0100% on binance". */
function describeRange(figures: readonly VenueFigure[], format: (value: number) => string): string {
  const sorted = [...figures].sort((a, b) => a.value - b.value);
  const low = sorted[0];
  const high = sorted[sorted.length - 1];
  if (sorted.length === 1 || low.value === high.value) {
    return `${format(low.value)} on ${sorted.map((f) => f.venue).join(', ')}`;
  }
  return `from ${format(low.value)} on ${low.venue} to ${format(high.value)} on ${high.venue}`;
}

function describePick(pick: CarryPick): string {
  return (
    `The best contract for it is ${pick.symbol} on ${pick.venue} (expires ${pick.expiry.slice(0, 10)}, ` +
    `in ${formatDays(pick.daysToExpiry)}): it would earn ${formatPercent(pick.returnToExpiry)} by expiry, ` +
    `${formatPercent(pick.annualizedReturn)} annualized, before fees, funding and borrow costs.`
  );
}

function frontClause(s: StateSummary): string {
  if (s.front) {
    return `The nearest contract, ${s.front.symbol} on ${s.front.venue}, trades at ${formatPercent(s.front.annualizedRate)} annualized against spot.`;
  }
  if (s.perpPremium.length > 0) {
    return `No dated futures are listed here; the perpetual trades at ${describeRange(s.perpPremium, (v) => formatPercent(v, 3))} against spot.`;
  }
  return '';
}

function stateParagraph(s: StateSummary): string {
  const front = frontClause(s);
  switch (s.state) {
    case 'contango':
      return `${s.asset} is in contango: futures trade above spot. ${front} This is the normal shape of the market: holding the coin until expiry ties up capital, and traders pay a premium for leveraged long exposure through futures.`;
    case 'backwardation':
      return `${s.asset} is in backwardation: spot trades above futures. ${front} It is a sign of immediate demand for the coin or of its scarcity: buyers pay more to hold it now than to receive it later. As expiry nears, each future converges toward spot.`;
    case 'flat': {
      const band = s.front ? `: every contract sits within ${formatPercent(s.flatBand).replace('+', '±')} annualized of spot.` : '.';
      return `${s.asset} is flat${band} ${front} There is no carry worth the fees: opening and closing two legs costs about as much as the basis would pay.`;
    }
    case 'mixed':
      return mixedParagraph(s);
  }
}

function mixedParagraph(s: StateSummary): string {
  const parts = [`${s.asset} is mixed: the curve does not have one shape.`];
  // Venues whose curves bend the same way get one sentence, so four venues do not read as four paragraphs.
  const groups = new Map<string, { venues: string[]; shape: CurveShape }>();
  for (const { venue, shape } of s.kinks) {
    const key = `${shape.front.state}/${shape.back.state}`;
    const group = groups.get(key);
    if (group) group.venues.push(venue);
    else groups.set(key, { venues: [venue], shape });
  }
  for (const { venues, shape } of groups.values()) {
    const where = s.venueStates.length > 1 ? `On ${venues.join(', ')}, the front` : 'The front';
    // Tenors differ between venues; they are worth quoting only for a single venue.
    const [near, far] = venues.length === 1 ? [` (nearest contract, ${formatDays(shape.front.daysToExpiry)})`, ` (farthest, ${formatDays(shape.back.daysToExpiry)})`] : ['', ''];
    parts.push(
      shape.front.state !== shape.back.state
        ? `${where} of the curve${near} is ${inState(shape.front.state)} while the back${far} is ${inState(shape.back.state)}.`
        : `${where} and the back of the curve are both ${inState(shape.front.state)}, but contracts in between are not.`,
    );
  }
  if (groups.size > 0) parts.push('The term structure is kinked, so which trade works depends on the contract.');
  const states = new Set(s.venueStates.map((v) => v.state));
  if (states.size > 1) {
    parts.push(`Venues disagree: ${s.venueStates.map((v) => `${v.venue} is ${inState(v.state)}`).join(', ')}.`);
  }
  return parts.join(' ');
}

function inState(state: MarketState): string {
  return state === 'flat' || state === 'mixed' ? state : `in ${state}`;
}

const TRADE_TEXT = {
  'cash-and-carry':
    'The carry trade contango implies is cash-and-carry: buy spot and sell the future, then hold both until expiry, when the future converges to spot and the premium becomes profit.',
  'reverse cash-and-carry':
    'The carry trade backwardation implies is reverse cash-and-carry: buy the cheaper future and sell (borrow) spot, then hold until expiry, when the future converges up to spot and the discount becomes profit.',
} as const;

/** Picks big enough to mention: inside the flat band a trade earns nothing after fees. */
function worthwhile(s: StateSummary): CarryPick[] {
  const byState: Record<MarketState, (CarryPick | undefined)[]> = {
    contango: [s.bestContango],
    backwardation: [s.bestBackwardation],
    mixed: [s.bestContango, s.bestBackwardation],
    flat: [],
  };
  const picks = byState[s.state];
  return picks.filter((p): p is CarryPick => p !== undefined && p.annualizedReturn >= s.flatBand);
}

function tradeParagraphs(s: StateSummary, picks: readonly CarryPick[]): string[] {
  if (s.state === 'flat') return [];
  if (picks.length === 0) {
    return [
      'No dated future here offers a carry to lock in by expiry. A hedge with the perpetual earns or pays funding instead, which is reset every interval and can turn against you.',
    ];
  }
  return picks.map((pick) => `${TRADE_TEXT[pick.trade]} ${describePick(pick)}`);
}

function fundingClause(s: StateSummary): string {
  if (s.fundingPer8h.length === 0) return '';
  return ` Perp funding per 8h is ${describeRange(s.fundingPer8h, formatFundingRate)} (positive: longs pay shorts).`;
}

function riskParagraph(s: StateSummary, picks: readonly CarryPick[]): string | undefined {
  if (picks.length === 0) return undefined;
  const reverse = picks.some((p) => p.trade === 'reverse cash-and-carry');
  const risks = [
    `Risks: funding, if you hedge with the perpetual instead of a dated future, since it is paid every interval and can flip sign.${fundingClause(s)}`,
    'Basis risk: the basis can widen before it converges, for example if spot deleverages, and a mark-to-market loss can force you out early.',
    'Liquidation of the leveraged futures leg if the price runs against it before you add margin, even though the spot leg gains as much.',
  ];
  if (reverse) {
    risks.push('Borrow availability and cost for the short spot leg: the coin may not be lendable, its rate can jump, and the loan can be recalled.');
  }
  return risks.join(' ');
}

function squeezeParagraph(s: StateSummary): string | undefined {
  if (s.squeeze.length === 0) return undefined;
  return (
    `Possible supply squeeze: steep backwardation (front contract at ${describeRange(s.squeeze, (v) => `${formatPercent(v)} annualized`)}) ` +
    'together with negative funding (shorts pay longs) suggests holders will not part with the coin now. ' +
    'Squeezes can end abruptly, and the basis can swing hard while they last.'
  );
}

/**
 * Paragraphs of plain text explaining a market state, in reading order: the state, the
 * trade it implies with the best contract, the risks, and a squeeze warning when it applies.
 */
export function explainState(summary: StateSummary): string[] {
  const picks = worthwhile(summary);
  const paragraphs = [
    stateParagraph(summary).replace(/ {2,}/g, ' '),
    ...tradeParagraphs(summary, picks),
    riskParagraph(summary, picks) ?? fundingClause(summary).trim(),
    squeezeParagraph(summary),
  ];
  return paragraphs.filter((p): p is string => typeof p === 'string' && p.length > 0);
}
