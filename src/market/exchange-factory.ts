import ccxt, { type Exchange } from 'ccxt';
import { observeRequests, type VenueRequestHook } from './request-hook.js';
import { retryStaleSockets } from './stale-socket-retry.js';
import type { VenueId } from './types.js';
import { createVenueLimiter, installVenueLimiter, type VenueLimiter } from './venue-limits.js';

/**
 * Per-venue ccxt options: market loading narrowed to the families basisbot reads
 * (fewer start-up requests), and no currency endpoints (they need API keys).
 */
const VENUE_OPTIONS: Record<VenueId, Record<string, unknown>> = {
  binance: { fetchMarkets: { types: ['spot', 'linear', 'inverse'] }, fetchCurrencies: false },
  okx: { fetchMarkets: { types: ['spot', 'future', 'swap'] }, fetchCurrencies: false },
  bybit: { fetchMarkets: { types: ['spot', 'linear', 'inverse'] }, fetchCurrencies: false },
  deribit: { fetchCurrencies: false },
};

/**
 * Rewrites every URL in ccxt's `urls.api` so `https://HOST/path` becomes `BASE/HOST/path`.
 * Rewriting the URLs (rather than intercepting fetch) keeps ccxt's whole request path
 * in play: signing, rate limiter, error mapping.
 */
export function redirectApiUrls(api: unknown, baseUrl: string): unknown {
  const base = baseUrl.replace(/\/+$/, '');
  if (typeof api === 'string') return api.replace(/^https?:\/\//, `${base}/`);
  if (api && typeof api === 'object') {
    return Object.fromEntries(Object.entries(api).map(([key, value]) => [key, redirectApiUrls(value, baseUrl)]));
  }
  return api;
}

export interface ExchangeSettings {
  /** Redirect all REST traffic here (the replay server or a proxy). */
  baseUrl?: string;
  timeoutMs?: number;
  /** Markets from the on-disk cache: when given, loadMarkets makes no request. */
  markets?: Record<string, unknown>;
  /**
   * Rate limiting: the venue's per-host budgets (default: a new limiter; pass one to share
   * it between instances of the venue), ccxt's single built-in bucket ('ccxt', what ccxt
   * does out of the box), or none ('off', benches only).
   */
  limiter?: VenueLimiter | 'ccxt' | 'off';
  /** Called after every HTTP round trip (metrics). */
  onRequest?: VenueRequestHook;
}

/** Builds one ccxt exchange for a venue, public endpoints only. */
export function createExchange(venue: VenueId, settings: ExchangeSettings = {}): Exchange {
  const ExchangeClass = (ccxt as unknown as Record<string, new (config: object) => Exchange>)[venue];
  const exchange = new ExchangeClass({
    enableRateLimit: settings.limiter !== 'off',
    timeout: settings.timeoutMs ?? 10_000,
    options: VENUE_OPTIONS[venue],
  });
  if (settings.limiter !== 'ccxt' && settings.limiter !== 'off') {
    installVenueLimiter(exchange, settings.limiter ?? createVenueLimiter(venue));
  }
  retryStaleSockets(exchange);
  if (settings.onRequest) observeRequests(exchange, venue, settings.onRequest);
  if (settings.baseUrl) {
    exchange.urls['api'] = redirectApiUrls(exchange.urls['api'], settings.baseUrl) as typeof exchange.urls['api'];
  }
  if (settings.markets) exchange.setMarkets(settings.markets as never);
  return exchange;
}
