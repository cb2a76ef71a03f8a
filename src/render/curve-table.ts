import type { Block } from '../core/reply.js';
import { formatDays, formatFundingRate, formatPercent, formatPrice, formatSignedPrice } from '../basis/format.js';
import type { VenueCurve } from '../market/types.js';

const HEAD = ['Contract', 'Days', 'Price', 'Src', 'Basis', 'Rate', 'Ann.'];
const ALIGN: ('left' | 'right')[] = ['left', 'right', 'right', 'left', 'right', 'right', 'right'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** What a contract settles in, from its unified symbol (`BTC/USD:BTC-261225` → `BTC`). */
function settleOf(symbol: string): string {
  return /:([A-Z0-9]+)/.exec(symbol)?.[1] ?? '';
}

/** `USDT` for linear contracts, `inv` for inverse ones (settled in the coin itself). */
function marginLabel(symbol: string, asset: string): string {
  const settle = settleOf(symbol);
  return settle === asset ? 'inv' : settle;
}

/**
 * Short contract names (`25Dec26 USDT`, `perp inv`) keep the table narrow enough for a
 * phone and a Discord embed; the full ccxt symbols are in the JSON data and the funding line.
 */
function futureLabel(expiryIso: string, symbol: string, asset: string): string {
  const expiry = new Date(expiryIso);
  const date = `${String(expiry.getUTCDate()).padStart(2, '0')}${MONTHS[expiry.getUTCMonth()]}${String(expiry.getUTCFullYear()).slice(2)}`;
  return `${date} ${marginLabel(symbol, asset)}`;
}

/** One venue's term structure as a table: spot, perp, then futures by expiry. */
export function curveTable(curve: VenueCurve): Block {
  const rows: string[][] = [[`spot ${curve.spot.symbol.split('/')[1] ?? ''}`.trim(), '', formatPrice(curve.spot.price), curve.spot.priceSource, '', '', '']];
  if (curve.perp) {
    const funding = curve.perp.funding;
    rows.push([
      `perp ${marginLabel(curve.perp.symbol, curve.asset)}`,
      '',
      formatPrice(curve.perp.price),
      curve.perp.priceSource,
      formatSignedPrice(curve.perp.price - curve.spot.price, curve.spot.price),
      formatPercent(curve.perp.premiumRate, 3),
      funding ? formatPercent(funding.annualizedRate) : '',
    ]);
  }
  for (const future of curve.futures) {
    rows.push([
      futureLabel(future.expiry, future.symbol, curve.asset),
      formatDays(future.daysToExpiry),
      formatPrice(future.price),
      future.priceSource,
      formatSignedPrice(future.basis, curve.spot.price),
      formatPercent(future.basisRate, 3),
      formatPercent(future.annualizedRate),
    ]);
  }
  return { kind: 'table', title: `${curve.venue}: ${curve.state}${curve.stale ? ' (stale)' : ''}`, head: HEAD, rows, align: ALIGN };
}

/** The perp's funding in one line: rate per interval, per 8h, annualized, next time. */
export function fundingLine(curve: VenueCurve): string | undefined {
  const funding = curve.perp?.funding;
  if (!curve.perp || !funding) return undefined;
  const per8h = funding.intervalHours === 8 ? '' : ` (${formatFundingRate(funding.ratePer8h)} per 8h)`;
  const next = funding.nextFundingTime ? `, next ${funding.nextFundingTime.slice(11, 16)} UTC` : ', paid continuously';
  return `${curve.venue} funding on ${curve.perp.symbol}: ${formatFundingRate(funding.rate)} per ${funding.intervalHours}h${per8h}, ${formatPercent(funding.annualizedRate)} a year${next}.`;
}

/** Read once under the tables: what the perp row's columns mean. */
export const PERP_ROW_LEGEND = "On perp rows, Basis and Rate are the perp's premium over spot, and Ann. is its funding rate annualized.";
