import type { Block } from '../core/reply.js';
import { formatDays, formatFundingRate, formatPercent, formatPrice, formatSignedPrice } from '../basis/format.js';
import type { VenueCurve } from '../market/types.js';

const HEAD = ['Contract', 'Expiry', 'Days', 'Price', 'Src', 'Basis', 'Rate', 'Ann.'];
const ALIGN: ('left' | 'right')[] = ['left', 'left', 'right', 'right', 'left', 'right', 'right', 'right'];

/** One venue's term structure as a table: spot, perp, then futures by expiry. */
export function curveTable(curve: VenueCurve): Block {
  const rows: string[][] = [[curve.spot.symbol, 'spot', '', formatPrice(curve.spot.price), curve.spot.priceSource, '', '', '']];
  if (curve.perp) {
    const funding = curve.perp.funding;
    rows.push([
      curve.perp.symbol,
      'perp',
      '',
      formatPrice(curve.perp.price),
      curve.perp.priceSource,
      formatSignedPrice(curve.perp.price - curve.spot.price),
      formatPercent(curve.perp.premiumRate, 3),
      funding ? formatPercent(funding.annualizedRate) : '',
    ]);
  }
  for (const future of curve.futures) {
    rows.push([
      future.symbol,
      future.expiry.slice(0, 10),
      formatDays(future.daysToExpiry),
      formatPrice(future.price),
      future.priceSource,
      formatSignedPrice(future.basis),
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
  const next = funding.nextFundingTime ? `, next ${funding.nextFundingTime.slice(11, 16)} UTC` : '';
  const per8h = funding.intervalHours === 8 ? '' : `${formatFundingRate(funding.ratePer8h)} per 8h, `;
  return (
    `${curve.venue} ${curve.perp.symbol} funding ${formatFundingRate(funding.rate)} per ${funding.intervalHours}h ` +
    `(${per8h}${formatPercent(funding.annualizedRate)} annualized${next}); Ann. on the perp row is this annualized funding.`
  );
}
