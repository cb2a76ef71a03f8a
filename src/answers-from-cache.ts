import type { ArgValue } from './core/command.js';
import { isTicker } from './core/market-query.js';
import type { CcxtMarketService } from './market/market-service.js';
import type { VenueId } from './market/types.js';

/**
 * Whether a command's answer can be built from cached quotes alone, so a platform with
 * a reply deadline (Discord's 3 s) can answer at once instead of deferring.
 */
export function answersFromCache(market: CcxtMarketService, watchList: string[]) {
  return (command: string, args: Record<string, ArgValue | undefined>): boolean => {
    const asset = typeof args['asset'] === 'string' ? args['asset'] : undefined;
    const venue = args['venue'] as VenueId | undefined;
    switch (command) {
      case 'basis':
      case 'curve':
      case 'funding':
        return asset !== undefined && isTicker(asset) && market.isCached(asset, venue);
      case 'top':
        return watchList.every((watched) => market.isCached(watched));
      default:
        return true; // help, explain, status: no venue involved
    }
  };
}
