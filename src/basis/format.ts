/**
 * Number formatting shared by every reply, so a percent or a price reads the same in
 * `/basis`, alerts and digests on every platform. Plain ASCII only: the minus sign is
 * '-' (not U+2212) so figures survive copy-paste into spreadsheets and terminals.
 */

/** Shown for a number that is not finite (a missing quote must not print as "NaN%"). */
export const NOT_AVAILABLE = 'n/a';

const formatters = new Map<string, Intl.NumberFormat>();

/** en-US grouping with a fixed number of decimals; cached because Intl formatters are costly. */
function grouped(value: number, decimals: number): string {
  const key = `f${decimals}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    formatters.set(key, formatter);
  }
  return formatter.format(value);
}

/**
 * Prefixes '+' or '-' from the *rounded* magnitude, so -0.00001 at 2 decimals shows
 * "0.00" rather than a misleading "-0.00".
 */
function signed(magnitudeText: string, value: number): string {
  if (/^[0.,]*$/.test(magnitudeText)) return magnitudeText;
  return `${value < 0 ? '-' : '+'}${magnitudeText}`;
}

/**
 * A fraction as a signed percent: `formatPercent(0.0812)` → "+8.12%",
 * `formatPercent(-0.034)` → "-3.40%", zero → "0.00%".
 */
export function formatPercent(fraction: number, digits = 2): string {
  if (!Number.isFinite(fraction)) return NOT_AVAILABLE;
  return `${signed(grouped(Math.abs(fraction) * 100, digits), fraction)}%`;
}

/**
 * Decimals by magnitude, so a BTC price is not drowned in cents and a sub-dollar coin
 * keeps its significant digits: 97,123.5 / 3,456.78 / 0.52341.
 */
function priceDecimals(magnitude: number): number {
  if (magnitude >= 10_000) return 1;
  if (magnitude >= 1) return 2;
  if (magnitude === 0) return 2;
  // Five significant digits below 1: 0.52341, 0.0012345.
  return Math.min(10, 4 - Math.floor(Math.log10(magnitude)));
}

/** A price (or a basis in price units) with thousands separators; negative keeps its '-'. */
export function formatPrice(value: number): string {
  if (!Number.isFinite(value)) return NOT_AVAILABLE;
  const magnitude = Math.abs(value);
  const text = grouped(magnitude, priceDecimals(magnitude));
  return value < 0 && !/^[0.,]*$/.test(text) ? `-${text}` : text;
}

/**
 * A price difference with an explicit sign, for a basis: "+1,234.5", "-12.30". `scale` is
 * the price it is a difference of: with it, the basis keeps that price's decimals, so a
 * column of basis figures lines up with the prices beside it ("-0.11" on a 185.00 spot).
 */
export function formatSignedPrice(value: number, scale = Math.abs(value)): string {
  if (!Number.isFinite(value)) return NOT_AVAILABLE;
  return signed(grouped(Math.abs(value), priceDecimals(Math.abs(scale))), value);
}

/** Days to expiry: one decimal under 10 days, where hours matter ("3.2 d"), whole days above ("45 d"). */
export function formatDays(days: number): string {
  if (!Number.isFinite(days)) return NOT_AVAILABLE;
  const rounded = Math.round(days * 10) / 10;
  return Math.abs(rounded) < 10 ? `${rounded.toFixed(1)} d` : `${Math.round(days)} d`;
}

/**
 * The age of a quote: "0.8 s", "12 s", "5 min", "3 h", "2 d". Units are chosen after
 * rounding, so 59.6 s reads "1 min" and never "60 s".
 */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return NOT_AVAILABLE;
  const age = Math.max(0, ms);
  if (age < 9_950) return `${(age / 1000).toFixed(1)} s`;
  const seconds = Math.round(age / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(age / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(age / 3_600_000);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(age / 86_400_000)} d`;
}

/**
 * A funding rate per interval as a signed percent with 4 decimals ("+0.0100%"): funding is
 * a few hundredths of a percent, and its sign says who pays (positive: longs pay shorts).
 */
export function formatFundingRate(rate: number): string {
  return formatPercent(rate, 4);
}
