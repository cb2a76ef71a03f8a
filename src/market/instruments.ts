import type { MarketInterface as Market } from 'ccxt';

/** The contracts of one asset at one venue that a curve is built from. */
export interface AssetInstruments {
  spot?: Market;
  perp?: Market;
  futures: Market[];
}

// Basis is measured against the deepest spot book; perps in the same order.
const SPOT_QUOTE_PREFERENCE = ['USDT', 'USDC', 'USD'];
const PERP_PREFERENCE: ((market: Market) => boolean)[] = [
  (market) => market.linear === true && market.settle === 'USDT',
  (market) => market.linear === true && market.settle === 'USDC',
  (market) => market.inverse === true,
];

function rank<T>(items: T[], tests: ((item: T) => boolean)[]): T | undefined {
  for (const test of tests) {
    const found = items.find(test);
    if (found) return found;
  }
  return undefined;
}

/**
 * Picks the spot market, the primary perpetual and every live dated future of `asset`.
 * Futures whose margin is neither linear nor inverse are venue combos (deribit's
 * BTC-FS-…), not outright contracts: they are dropped.
 */
export function selectInstruments(markets: Market[], asset: string, now: number): AssetInstruments {
  const ofAsset = markets.filter((market) => market.base === asset && market.active !== false);
  const spots = ofAsset.filter((market) => market.spot);
  const spot = rank(
    spots,
    SPOT_QUOTE_PREFERENCE.map((quote) => (market: Market) => market.quote === quote),
  );
  const perp = rank(
    ofAsset.filter((market) => market.swap),
    PERP_PREFERENCE,
  );
  const futures = ofAsset
    .filter((market) => market.future && (market.linear === true || market.inverse === true))
    .filter((market) => typeof market.expiry === 'number' && market.expiry > now)
    .sort((a, b) => (a.expiry as number) - (b.expiry as number) || Number(b.linear) - Number(a.linear));
  return { spot, perp, futures };
}

/**
 * A venue's tradable markets grouped by base asset, built once per market load so a query
 * reads its asset's few markets instead of scanning thousands (binance lists ~3,000).
 */
export function indexByBase(markets: Market[]): Map<string, Market[]> {
  const index = new Map<string, Market[]>();
  for (const market of markets) {
    if (!(market.spot || market.swap || market.future) || market.active === false) continue;
    const list = index.get(market.base);
    if (list) list.push(market);
    else index.set(market.base, [market]);
  }
  return index;
}
