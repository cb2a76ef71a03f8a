import path from 'node:path';
import type { Logger } from 'pino';
import { COMMANDS } from '../commands/index.js';
import type { Config } from './config.js';
import { Dispatcher } from './core/dispatch.js';
import type { Services } from './core/services.js';
import { createLogger } from './logger.js';
import { MarketCache } from './market/market-cache.js';
import { CcxtMarketService } from './market/market-service.js';
import { QuoteService } from './market/quotes.js';
import { VenueCatalog } from './market/venues.js';
import { DRIVERS } from './market/venues/index.js';
import { renderCurveChart } from './render/chart.js';
import { createStoreFactory, type StoreFactory } from './store/index.js';

export interface App {
  config: Config;
  log: Logger;
  dispatcher: Dispatcher;
  services: Services;
  market: CcxtMarketService;
  stores: StoreFactory;
  now: () => number;
  close(): Promise<void>;
}

export interface AppOptions {
  now?: () => number;
  log?: Logger;
  /**
   * Which market list the on-disk cache holds: the live venues', the replay's, or a
   * proxy's. Defaults from VENUE_BASE_URL.
   */
  marketsCacheTag?: string;
}

function defaultCacheTag(config: Config): string {
  if (!config.venueBaseUrl) return 'live';
  return `redirected-${new URL(config.venueBaseUrl).hostname.replace(/[^a-z0-9.-]/gi, '_')}`;
}

/** The composition root: every service is built here, once, from validated config. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const now = options.now ?? Date.now;
  const log = options.log ?? createLogger(config.logLevel);
  const cacheTag = options.marketsCacheTag ?? defaultCacheTag(config);
  const catalog = new VenueCatalog({
    venues: config.venues,
    baseUrl: config.venueBaseUrl,
    timeoutMs: config.venueTimeoutMs,
    cache: new MarketCache(path.join(config.dataDir, 'markets', cacheTag), config.marketsMaxAgeMs),
    refreshAfterMs: config.marketsMaxAgeMs,
    log,
    now,
  });
  const market = new CcxtMarketService({
    catalog,
    quotes: new QuoteService({ ttlMs: config.quoteTtlMs, now }),
    drivers: DRIVERS,
    timeoutMs: config.venueTimeoutMs,
    staleAfterMs: config.staleAfterMs,
    watchList: config.watchList,
    now,
    log,
  });
  const services: Services = { market, renderCurveChart, watchList: config.watchList, startedAt: now() };
  const stores = createStoreFactory({ dataDir: config.dataDir, url: config.storeUrl });
  const dispatcher = new Dispatcher(COMMANDS, { services, now }, log);
  return {
    config,
    log,
    dispatcher,
    services,
    market,
    stores,
    now,
    close: async () => {
      await stores.close();
    },
  };
}
