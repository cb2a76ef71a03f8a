/**
 * Venue request metrics fed by the market layer's per-request hook: a real /basis through
 * the app, real ccxt and the replay, then the Prometheus text must count what the replay saw.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CALLER } from '../../src/adapters/console/session.js';
import { SUPPORTED_VENUES } from '../../src/market/types.js';
import { startReplayApp, type ReplayApp } from '../helpers/replay-app.js';

const START = Date.UTC(2026, 10, 25, 12, 0, 0);

/** Sum of every sample of `name` whose labels include all of `labels` (other labels, e.g. replica, ignored). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('venue request metrics (issue 9)', () => {
  let replay: ReplayApp;
  let elapsed = 0;
  beforeAll(async () => {
    replay = await startReplayApp({ server: { clock: () => START + elapsed }, env: { VENUE_TIMEOUT_MS: '8000', QUOTE_TTL_MS: '5000' } });
  });
  afterAll(async () => replay.close());

  it('counts every round trip of a /basis per venue, and a failing venue as errors', async () => {
    const { app, server } = replay;
    server.resetStats();
    const answer = await app.dispatcher.handleText('/basis BTC', CONSOLE_CALLER);
    expect(answer?.ok).toBe(true);
    const seen = server.stats().byVenue;
    let text = await app.metrics.text();
    for (const venue of SUPPORTED_VENUES) {
      // Market loads and quote fetches alike: each request the venue saw, counted once.
      expect(seen[venue] ?? 0, venue).toBeGreaterThan(0);
      expect(sample(text, 'basisbot_venue_requests_total', { venue, outcome: 'ok' }), venue).toBe(seen[venue]);
      expect(sample(text, 'basisbot_venue_request_duration_seconds_count', { venue }), venue).toBe(seen[venue]);
      expect(sample(text, 'basisbot_venue_errors_total', { venue }), venue).toBe(0);
    }

    // okx goes down; well after the quotes expired, the next /basis must ask it again and fail.
    server.setFault('okx', { kind: 'down' });
    elapsed += 10 * 60_000;
    server.resetStats();
    await app.dispatcher.handleText('/basis BTC', CONSOLE_CALLER);
    const failed = server.stats().byVenue.okx ?? 0;
    expect(failed).toBeGreaterThan(0);
    text = await app.metrics.text();
    expect(sample(text, 'basisbot_venue_errors_total', { venue: 'okx' })).toBe(failed);
    expect(sample(text, 'basisbot_venue_requests_total', { venue: 'okx', outcome: 'error' })).toBe(failed);
    expect(sample(text, 'basisbot_venue_requests_total', { venue: 'binance', outcome: 'ok' })).toBe(seen.binance! + (server.stats().byVenue.binance ?? 0));
    server.clearFaults();
  });
});
