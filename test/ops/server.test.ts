/**
 * The operators' endpoint on a real socket (127.0.0.1, port 0): liveness, readiness that
 * follows its checks both ways, and /metrics parsed as Prometheus text.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/ops/metrics.js';
import { adaptersConnected, marketsLoaded, storeReachable } from '../../src/ops/readiness.js';
import { startOpsServer, type OpsServer } from '../../src/ops/server.js';
import { parseExposition } from './exposition.js';

let server: OpsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('ops server', () => {
  it('answers /healthz with 200 "ok", and 404/405 for what it does not serve', async () => {
    server = await startOpsServer({ port: 0, host: '127.0.0.1' });
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect((await health.text()).trim()).toBe('ok');
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/healthz`, { method: 'POST' })).status).toBe(405);
    // No metrics configured: said plainly rather than an empty 200.
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });

  it('flips /readyz to 503 naming the failing check, and back to 200 when it passes', async () => {
    let storeUp = true;
    let venuesLoaded = false;
    const warnings: object[] = [];
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      log: { warn: (obj) => warnings.push(obj) },
      checks: {
        markets: marketsLoaded(() => ({
          venues: [
            { venue: 'binance', marketsLoaded: venuesLoaded, lastError: venuesLoaded ? undefined : 'timeout' },
            { venue: 'okx', marketsLoaded: false },
          ],
        })),
        store: storeReachable(async () => {
          if (!storeUp) throw new Error('STORE_URL=redis://redis:6379: cannot connect (ECONNREFUSED)');
        }),
        adapters: adaptersConnected(() => [{ platform: 'telegram', connected: true }]),
      },
    });

    let response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    let body = await response.json();
    expect(body).toMatchObject({ ready: false, notReady: ['markets'], checks: { store: { ok: true }, adapters: { ok: true } } });
    expect(body.checks.markets.reason).toContain('binance (timeout)');

    venuesLoaded = true;
    response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ready: true, notReady: [] });

    storeUp = false;
    response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    body = await response.json();
    expect(body.notReady).toEqual(['store']);
    expect(body.checks.store.reason).toContain('ECONNREFUSED');

    storeUp = true;
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    // Logged when what fails changes, not on every probe.
    expect(warnings).toHaveLength(2);
  });

  it('fails a check that never answers instead of hanging the probe', async () => {
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      checkTimeoutMs: 50,
      checks: { store: storeReachable(() => new Promise(() => undefined)) },
    });
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    expect((await response.json()).checks.store.reason).toMatch(/no answer within 50 ms/);
  });

  it('serves /metrics as Prometheus text with labelled series from hooks and collected sources', async () => {
    const metrics = new Metrics({ defaultMetrics: true });
    metrics.commandServed('telegram', 'basis', true);
    metrics.commandServed('telegram', 'basis', true);
    metrics.commandServed('discord', 'curve', false);
    metrics.venueRequest('okx', 120, true);
    metrics.venueRequest('okx', 4_000, false);
    let sent = 3;
    metrics.collectFrom({
      outbox: () => ({ queued: 5, inFlight: 1, unreachable: 2, sent, retried: 4, gaveUp: 0, rejected: 1, dropped: 0 }),
      market: () => ({ venues: [{ venue: 'binance', marketsLoaded: true, dataAgeMs: 1500 }], cache: { hits: 9, misses: 3, coalesced: 1 } }),
    });
    server = await startOpsServer({ port: 0, host: '127.0.0.1', metrics });

    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    const samples = parseExposition(text);
    const value = (name: string, labels: Record<string, string> = {}) =>
      samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, v]) => sample.labels[key] === v))?.value;

    expect(text).toContain('# TYPE basisbot_commands_total counter');
    expect(value('basisbot_commands_total', { platform: 'telegram', command: 'basis', outcome: 'ok' })).toBe(2);
    expect(value('basisbot_commands_total', { platform: 'discord', command: 'curve', outcome: 'error' })).toBe(1);
    expect(value('basisbot_venue_requests_total', { venue: 'okx', outcome: 'error' })).toBe(1);
    expect(value('basisbot_venue_errors_total', { venue: 'okx' })).toBe(1);
    expect(value('basisbot_venue_request_duration_seconds_count', { venue: 'okx' })).toBe(2);
    expect(value('basisbot_venue_request_duration_seconds_bucket', { venue: 'okx', le: '0.25' })).toBe(1);
    expect(value('basisbot_outbox_depth')).toBe(5);
    expect(value('basisbot_outbox_unreachable_targets')).toBe(2);
    expect(value('basisbot_outbox_sent_total')).toBe(3);
    expect(value('basisbot_outbox_retry_later_total')).toBe(4);
    expect(value('basisbot_outbox_lost_total', { reason: 'rejected' })).toBe(1);
    expect(value('basisbot_cache_hits_total')).toBe(9);
    expect(value('basisbot_cache_misses_total')).toBe(3);
    expect(value('basisbot_markets_loaded', { venue: 'binance' })).toBe(1);
    expect(value('basisbot_venue_data_age_seconds', { venue: 'binance' })).toBe(1.5);
    expect(value('process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);

    // Collected totals follow their source between scrapes instead of adding up.
    sent = 7;
    expect(parseExposition(await (await fetch(`${server.url}/metrics`)).text()).find((s) => s.name === 'basisbot_outbox_sent_total')?.value).toBe(7);
  });
});
