/**
 * The Prometheus metrics of one basisbot process, on a registry of its own (never
 * prom-client's global one, so tests and several apps in one process do not collide).
 *
 * Two kinds of input:
 * - hooks the code calls where things happen (a command served, a venue request, an alert);
 * - numbers other services already count (the outbox, the quote cache), read at scrape
 *   time through `collectFrom()`, so those services need no metrics code of their own.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the metrics read from Outbox.stats() (src/delivery/outbox.ts); OutboxStats fits it. */
export interface OutboxStatsLike {
  queued: number;
  inFlight: number;
  unreachable: number;
  sent: number;
  retried: number;
  gaveUp: number;
  rejected: number;
  dropped: number;
}

/** What the metrics read from CcxtMarketService.status(); MarketStatus fits it. */
export interface MarketStatusLike {
  venues: { venue: string; marketsLoaded: boolean; dataAgeMs?: number }[];
  cache: { hits: number; misses: number; coalesced: number; staleServed?: number };
}

export interface MetricsSources {
  outbox?: () => OutboxStatsLike;
  market?: () => MarketStatusLike;
}

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop lag, GC); default true. */
  defaultMetrics?: boolean;
  /** Labels on every series, e.g. `{ replica: hostname }` when several replicas are scraped. */
  labels?: Record<string, string>;
}

// Venue round trips run from tens of ms to the venue timeout (seconds): buckets in seconds.
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20];

/**
 * Label values come from code (command and venue names), but a label is a new series on
 * the server for every distinct value: clamp anything odd so a bug cannot explode them.
 */
function label(value: string): string {
  const clean = value.trim().toLowerCase().replace(/[^a-z0-9_ .:-]/g, '_');
  return clean.slice(0, 40) || 'unknown';
}

/** A counter whose value is a running total kept elsewhere: set from it at scrape time. */
function mirrorCounter(registry: Registry, name: string, help: string, read: () => number | undefined): Counter {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const value = read();
      if (value === undefined) return;
      this.reset();
      this.inc(Math.max(0, value));
    },
  });
}

export class Metrics {
  readonly registry = new Registry();
  private sources: MetricsSources = {};

  private readonly commands: Counter<'platform' | 'command' | 'outcome'>;
  private readonly venueRequests: Counter<'venue' | 'outcome'>;
  private readonly venueErrors: Counter<'venue'>;
  private readonly venueLatency: Histogram<'venue'>;
  private readonly alerts: Counter<'platform'>;
  private readonly digests: Counter<'platform'>;
  private readonly refusedChats: Counter<'platform'>;
  private readonly leaseHeld: Gauge;
  private readonly leaseRenewals: Counter;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    if (options.labels) this.registry.setDefaultLabels(options.labels);
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });

    this.commands = new Counter({
      name: 'basisbot_commands_total',
      help: 'Commands answered, by platform, command and outcome (ok, or error for a user error or failure)',
      labelNames: ['platform', 'command', 'outcome'],
      registers,
    });
    this.venueRequests = new Counter({
      name: 'basisbot_venue_requests_total',
      help: 'Round trips to a venue (quote fetches, market loads), by outcome',
      labelNames: ['venue', 'outcome'],
      registers,
    });
    this.venueErrors = new Counter({
      name: 'basisbot_venue_errors_total',
      help: 'Venue round trips that failed (timeout, HTTP error, unparsable answer)',
      labelNames: ['venue'],
      registers,
    });
    this.venueLatency = new Histogram({
      name: 'basisbot_venue_request_duration_seconds',
      help: 'Duration of venue round trips, successful or not',
      labelNames: ['venue'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.alerts = new Counter({ name: 'basisbot_alerts_fired_total', help: 'Alerts that fired (one per subscription triggered)', labelNames: ['platform'], registers });
    this.digests = new Counter({ name: 'basisbot_digests_sent_total', help: 'Digests handed to the outbox', labelNames: ['platform'], registers });
    this.refusedChats = new Counter({
      name: 'basisbot_refused_chats_total',
      help: 'Commands refused because the chat is not in ALLOWED_CHATS',
      labelNames: ['platform'],
      registers,
    });
    // Multi-replica leadership (who runs the scheduled pushes): set by the LeaseKeeper (src/app.ts).
    this.leaseHeld = new Gauge({ name: 'basisbot_lease_holder', help: '1 while this replica holds the scheduler lease, else 0', registers });
    this.leaseRenewals = new Counter({ name: 'basisbot_lease_renewals_total', help: 'Successful renewals of the scheduler lease', registers });

    this.registerCollected(registers);
  }

  /** Where collected numbers come from; call once the app is built (sources may be replaced). */
  collectFrom(sources: MetricsSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** A command answered: `command` is the registry name (`basis`, `alert add`), never user text. */
  commandServed(platform: string, command: string, ok: boolean): void {
    this.commands.inc({ platform: label(platform), command: label(command), outcome: ok ? 'ok' : 'error' });
  }

  /** One venue round trip and how long it took. */
  venueRequest(venue: string, ms: number, ok: boolean): void {
    const v = label(venue);
    this.venueRequests.inc({ venue: v, outcome: ok ? 'ok' : 'error' });
    if (!ok) this.venueErrors.inc({ venue: v });
    this.venueLatency.observe({ venue: v }, Math.max(0, ms) / 1000);
  }

  alertFired(platform: string): void {
    this.alerts.inc({ platform: label(platform) });
  }

  digestSent(platform: string): void {
    this.digests.inc({ platform: label(platform) });
  }

  chatRefused(platform: string): void {
    this.refusedChats.inc({ platform: label(platform) });
  }

  leaseHolder(held: boolean): void {
    this.leaseHeld.set(held ? 1 : 0);
  }

  leaseRenewed(): void {
    this.leaseRenewals.inc();
  }

  /** The exposition text for GET /metrics. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * Reads a source without letting it break the scrape: a service mid-shutdown that
   * throws leaves its series at their last values instead of failing /metrics whole.
   */
  private read<T>(source: (() => T) | undefined): T | undefined {
    if (!source) return undefined;
    try {
      return source();
    } catch {
      return undefined;
    }
  }

  private registerCollected(registers: Registry[]): void {
    const outbox = () => this.read(this.sources.outbox);
    const market = () => this.read(this.sources.market);
    const registry = this.registry;

    new Gauge({
      name: 'basisbot_outbox_depth',
      help: 'Messages waiting in the outbox (not yet handed to a platform)',
      registers,
      collect() {
        const stats = outbox();
        if (stats) this.set(stats.queued);
      },
    });
    new Gauge({
      name: 'basisbot_outbox_in_flight',
      help: 'Messages being sent right now',
      registers,
      collect() {
        const stats = outbox();
        if (stats) this.set(stats.inFlight);
      },
    });
    new Gauge({
      name: 'basisbot_outbox_unreachable_targets',
      help: 'Chats marked unreachable (blocked the bot, kicked it, closed DMs)',
      registers,
      collect() {
        const stats = outbox();
        if (stats) this.set(stats.unreachable);
      },
    });
    mirrorCounter(registry, 'basisbot_outbox_sent_total', 'Messages the outbox delivered', () => outbox()?.sent);
    mirrorCounter(registry, 'basisbot_outbox_retry_later_total', 'Sends answered with retry-later (429 and transient failures), retried later', () => outbox()?.retried);
    new Counter({
      name: 'basisbot_outbox_lost_total',
      help: 'Messages the outbox did not deliver, by reason (gave_up after retries, rejected by the platform, dropped for an unreachable chat)',
      labelNames: ['reason'],
      registers,
      collect() {
        const stats = outbox();
        if (!stats) return;
        this.reset();
        this.inc({ reason: 'gave_up' }, stats.gaveUp);
        this.inc({ reason: 'rejected' }, stats.rejected);
        this.inc({ reason: 'dropped' }, stats.dropped);
      },
    });

    // Hit rate as /status shows it: (hits + coalesced + stale served) / all lookups; coalesced ones share a fetch already in flight.
    mirrorCounter(registry, 'basisbot_cache_hits_total', 'Quote lookups answered from the cache', () => market()?.cache.hits);
    mirrorCounter(registry, 'basisbot_cache_misses_total', 'Quote lookups that went to the venue', () => market()?.cache.misses);
    mirrorCounter(registry, 'basisbot_cache_coalesced_total', 'Quote lookups that joined a venue fetch already in flight', () => market()?.cache.coalesced);
    mirrorCounter(registry, 'basisbot_cache_stale_served_total', 'Quote lookups answered past the TTL (within the grace period) while a refresh ran', () => market()?.cache.staleServed);
    new Gauge({
      name: 'basisbot_markets_loaded',
      help: '1 when the venue market list is loaded (from the venue or the on-disk cache), else 0',
      labelNames: ['venue'],
      registers,
      collect() {
        const status = market();
        if (!status) return;
        this.reset();
        for (const venue of status.venues) this.set({ venue: label(venue.venue) }, venue.marketsLoaded ? 1 : 0);
      },
    });
    new Gauge({
      name: 'basisbot_venue_data_age_seconds',
      help: 'Age of the newest cached quotes per venue',
      labelNames: ['venue'],
      registers,
      collect() {
        const status = market();
        if (!status) return;
        this.reset();
        for (const venue of status.venues) if (venue.dataAgeMs !== undefined) this.set({ venue: label(venue.venue) }, venue.dataAgeMs / 1000);
      },
    });
  }
}
