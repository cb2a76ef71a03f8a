/**
 * The metrics registry on its own: label hygiene, sources that fail, the lease gauges,
 * and that the real OutboxStats and MarketStatus fit what the collectors read.
 */
import { describe, expect, it } from 'vitest';
import type { MarketStatus } from '../../src/core/services.js';
import type { OutboxStats } from '../../src/delivery/outbox.js';
import { Metrics, type MarketStatusLike, type OutboxStatsLike } from '../../src/ops/metrics.js';

// Compile-time: if Outbox.stats() or market.status() drop a field the collectors read,
// `npm run typecheck` fails here rather than /metrics going quiet in production.
export const outboxFits = (stats: OutboxStats): OutboxStatsLike => stats;
export const marketFits = (status: MarketStatus): MarketStatusLike => status;

function sampleValue(text: string, prefix: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('Metrics', () => {
  it('keeps registries apart, so two instances count separately', async () => {
    const a = new Metrics({ defaultMetrics: false });
    const b = new Metrics({ defaultMetrics: false });
    a.alertFired('telegram');
    a.alertFired('telegram');
    b.digestSent('discord');
    expect(sampleValue(await a.text(), 'basisbot_alerts_fired_total{platform="telegram"}')).toBe(2);
    expect(sampleValue(await b.text(), 'basisbot_alerts_fired_total{platform="telegram"}')).toBeUndefined();
    expect(sampleValue(await b.text(), 'basisbot_digests_sent_total{platform="discord"}')).toBe(1);
  });

  it('clamps odd label values instead of minting a series per raw string', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.commandServed('Telegram', 'alert add', true);
    metrics.commandServed('telegram', '"}\nevil', true);
    const text = await metrics.text();
    expect(sampleValue(text, 'basisbot_commands_total{platform="telegram",command="alert add",outcome="ok"}')).toBe(1);
    // The quote, brace and line break that would break the exposition format are replaced.
    expect(text).not.toContain('\nevil');
    expect(text).toContain('command="___evil"');
  });

  it('keeps the last known values when a source throws, instead of failing /metrics', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    let closed = false;
    metrics.collectFrom({
      outbox: () => {
        if (closed) throw new Error('outbox closed');
        return { queued: 5, inFlight: 0, unreachable: 0, sent: 11, retried: 0, gaveUp: 0, rejected: 0, dropped: 0 };
      },
    });
    expect(sampleValue(await metrics.text(), 'basisbot_outbox_depth')).toBe(5);
    closed = true;
    metrics.commandServed('console', 'status', true);
    const text = await metrics.text();
    expect(sampleValue(text, 'basisbot_commands_total{platform="console"')).toBe(1);
    expect(sampleValue(text, 'basisbot_outbox_depth')).toBe(5);
    expect(sampleValue(text, 'basisbot_outbox_sent_total')).toBe(11);
  });

  it('reports the lease holder and renewals, and default labels on every series', async () => {
    const metrics = new Metrics({ defaultMetrics: false, labels: { replica: 'r1' } });
    metrics.leaseHolder(true);
    metrics.leaseRenewed();
    metrics.leaseRenewed();
    let text = await metrics.text();
    expect(sampleValue(text, 'basisbot_lease_holder{replica="r1"}')).toBe(1);
    expect(sampleValue(text, 'basisbot_lease_renewals_total{replica="r1"}')).toBe(2);
    metrics.leaseHolder(false);
    text = await metrics.text();
    expect(sampleValue(text, 'basisbot_lease_holder{replica="r1"}')).toBe(0);
  });
});
