/**
 * What a carry trade of a given size would actually get: walk the order books at taker
 * prices instead of reading the mid. Cash-and-carry buys spot at the asks and sells the
 * future at the bids; reverse cash-and-carry sells spot at the bids and buys the future at
 * the asks. The future leg hedges the coins the spot leg actually filled.
 *
 * Book levels are [price, amount in base coins], best first; converting a venue's
 * contracts or USD amounts to coins is the market layer's job.
 */
import { annualizedBasis, basisRate, midPrice } from './math.js';
import type { CarryDirection } from './carry.js';

export type BookLevel = [price: number, baseAmount: number];

export interface Fill {
  /** Coins filled. */
  base: number;
  /** Money paid or received, before fees. */
  quote: number;
  /** quote / base; undefined when nothing filled. */
  vwap: number | undefined;
  levels: number;
  /** False when the book ran out before the target. */
  complete: boolean;
}

/** Fills up to `target` against `levels`, measured in quote money or in base coins. */
export function walkBook(levels: BookLevel[], target: { quote: number } | { base: number }): Fill {
  let [base, quote, used] = [0, 0, 0];
  const wantsQuote = 'quote' in target;
  const goal = wantsQuote ? target.quote : target.base;
  for (const [price, amount] of levels) {
    if (!(price > 0 && amount > 0)) continue;
    const done = wantsQuote ? quote : base;
    // A relative tolerance stops float dust from taking one more level.
    if (done >= goal * (1 - 1e-12)) break;
    const room = goal - done;
    const take = wantsQuote ? Math.min(amount, room / price) : Math.min(amount, room);
    base += take;
    quote += take * price;
    used += 1;
  }
  const reached = (wantsQuote ? quote : base) >= goal * (1 - 1e-9);
  return { base, quote, vwap: base > 0 ? quote / base : undefined, levels: used, complete: goal <= 0 || reached };
}

export interface Book {
  bids: BookLevel[];
  asks: BookLevel[];
}

export interface ExecutionInput {
  direction: CarryDirection;
  spot: Book;
  future: Book;
  /** Spot notional to trade, in quote money (USD). */
  notional: number;
  daysToExpiry: number;
  /** Taker fee rates as fractions (0.001 = 10 bps). */
  spotTakerFee: number;
  futureTakerFee: number;
}

export interface LegExecution {
  side: 'buy' | 'sell';
  fill: Fill;
  mid: number;
  /** Cost of walking the book against the mid, bps (positive: worse than the mid). */
  slippageBps: number;
  /** Taker fee rate charged on this leg (a fraction), and the money it comes to. */
  feeRate: number;
  fee: number;
}

export interface Execution {
  direction: CarryDirection;
  notional: number;
  spotLeg: LegExecution;
  futureLeg: LegExecution;
  /** Both legs filled the whole size. */
  complete: boolean;
  /** The spot notional the books could take with both legs filled (≤ notional). */
  fillableNotional: number;
  /** Signed annualized basis at the mids. */
  quotedAnnualized: number;
  /** Signed annualized basis at the two VWAPs. */
  executableAnnualized: number;
  /** The carry actually captured per year after slippage and both fees, positive = earned. */
  netAnnualized: number;
  fees: number;
}

function slippageBps(side: 'buy' | 'sell', vwap: number, mid: number): number {
  return ((side === 'buy' ? vwap - mid : mid - vwap) / mid) * 10_000;
}

function leg(side: 'buy' | 'sell', book: Book, target: { quote: number } | { base: number }, feeRate: number): LegExecution {
  const mid = midPrice(book.bids[0]?.[0], book.asks[0]?.[0]);
  if (mid === undefined) throw new RangeError('a two-sided, uncrossed book is needed to execute against');
  const fill = walkBook(side === 'buy' ? book.asks : book.bids, target);
  return { side, fill, mid, slippageBps: fill.vwap === undefined ? 0 : slippageBps(side, fill.vwap, mid), feeRate, fee: fill.quote * feeRate };
}

/**
 * Executes both legs on paper. Undefined at or past expiry, or when the spot leg fills
 * nothing (an empty book side). Throws on a one-sided or crossed book.
 */
export function executeCarry(input: ExecutionInput): Execution | undefined {
  if (!(input.daysToExpiry > 0)) return undefined;
  const carry = input.direction === 'cash-and-carry';
  const spotLeg = leg(carry ? 'buy' : 'sell', input.spot, { quote: input.notional }, input.spotTakerFee);
  if (spotLeg.fill.vwap === undefined) return undefined;
  const futureLeg = leg(carry ? 'sell' : 'buy', input.future, { base: spotLeg.fill.base }, input.futureTakerFee);
  if (futureLeg.fill.vwap === undefined) return undefined;
  const quoted = annualizedBasis(basisRate(futureLeg.mid, spotLeg.mid), input.daysToExpiry)!;
  const executable = annualizedBasis(basisRate(futureLeg.fill.vwap, spotLeg.fill.vwap), input.daysToExpiry)!;
  // Fees are paid on both legs; as a fraction of the spot money they come off the carry.
  const hedged = Math.min(spotLeg.fill.base, futureLeg.fill.base);
  const fees = spotLeg.fee + futureLeg.fee;
  const feeRate = input.spotTakerFee + (input.futureTakerFee * futureLeg.fill.vwap) / spotLeg.fill.vwap;
  const net = annualizedBasis((carry ? 1 : -1) * basisRate(futureLeg.fill.vwap, spotLeg.fill.vwap) - feeRate, input.daysToExpiry)!;
  return {
    direction: input.direction,
    notional: input.notional,
    spotLeg,
    futureLeg,
    complete: spotLeg.fill.complete && futureLeg.fill.complete,
    // When the future book is the thinner one, the fillable size is what spot costs for the coins it can hedge.
    fillableNotional: futureLeg.fill.complete ? spotLeg.fill.quote : walkBook(carry ? input.spot.asks : input.spot.bids, { base: hedged }).quote,
    quotedAnnualized: quoted,
    executableAnnualized: executable,
    netAnnualized: net,
    fees,
  };
}
