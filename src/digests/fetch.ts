import type { MarketService } from '../core/services.js';
import { NoVenueAnsweredError, UnknownAssetError } from '../market/errors.js';
import type { AssetData } from './types.js';

/**
 * One market.curves call per asset, in parallel, for every chat due in a slot. An asset that
 * fails does not stop the others: the digest names it and still goes out.
 */
export async function fetchAssets(market: MarketService, assets: Iterable<string>): Promise<Map<string, AssetData>> {
  const unique = [...new Set(assets)];
  const results = await Promise.all(
    unique.map(async (asset): Promise<AssetData> => {
      try {
        return { asset, kind: 'ok', set: await market.curves(asset) };
      } catch (error) {
        if (error instanceof UnknownAssetError) return { asset, kind: 'unlisted', suggestions: error.suggestions };
        if (error instanceof NoVenueAnsweredError) return { asset, kind: 'failed', failures: error.failures };
        return { asset, kind: 'failed', failures: [{ venue: 'market', error: error instanceof Error ? error.message : String(error) }] };
      }
    }),
  );
  return new Map(results.map((result) => [result.asset, result]));
}
