import { performance } from 'node:perf_hooks';
import type { Exchange } from 'ccxt';
import type { VenueId } from './types.js';

/** One HTTP round trip to a venue: how it ended and how long it took (the limiter's wait excluded). */
export interface VenueRequestEvent {
  venue: VenueId;
  ok: boolean;
  ms: number;
}

export type VenueRequestHook = (event: VenueRequestEvent) => void;

type Fetch = (url: string, method?: string, headers?: unknown, body?: unknown) => Promise<unknown>;

/**
 * Reports every round trip of the exchange to `hook` (metrics, logs). It wraps ccxt's
 * `fetch`, which sends one request and maps the venue's error answers to exceptions, so
 * quote fetches and market loads alike are counted, each request once. A hook that throws
 * never fails the request it observes.
 */
export function observeRequests(exchange: Exchange, venue: VenueId, hook: VenueRequestHook): void {
  const target = exchange as unknown as { fetch: Fetch };
  const send = target.fetch.bind(exchange);
  const report = (ok: boolean, started: number) => {
    try {
      hook({ venue, ok, ms: performance.now() - started });
    } catch {
      // Observation must not change the outcome.
    }
  };
  target.fetch = async (url, method, headers, body) => {
    const started = performance.now();
    try {
      const response = await send(url, method, headers, body);
      report(true, started);
      return response;
    } catch (error) {
      report(false, started);
      throw error;
    }
  };
}
