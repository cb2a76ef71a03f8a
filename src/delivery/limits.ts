import type { Platform } from '../core/command.js';

/** At most `limit` sends in any span of `windowMs`. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** The send limits one platform enforces; every window that applies must have room. */
export interface PlatformLimits {
  /** Per chat or channel. */
  perTarget: RateWindow;
  /** Added on top of perTarget for `target.kind === 'group'` (Telegram's 20/min per group). */
  perGroup?: RateWindow;
  /** Across every target of the platform (one bot token). */
  global: RateWindow;
  /** Slack added after each send's start before it stops counting (default DEFAULT_START_MARGIN_MS). */
  startMarginMs?: number;
}

/**
 * Published limits (see /work/shared/FACTS.md). Telegram: about 1/s per chat, 20/min per
 * group, about 30/s overall. Discord: 5 per 5 s per channel, 50/s overall. The console has
 * no limit worth modelling, so its windows are wide enough never to bind.
 */
export const DEFAULT_LIMITS: Record<Platform, PlatformLimits> = {
  telegram: {
    perTarget: { limit: 1, windowMs: 1_000 },
    perGroup: { limit: 20, windowMs: 60_000 },
    global: { limit: 30, windowMs: 1_000 },
  },
  discord: {
    perTarget: { limit: 5, windowMs: 5_000 },
    global: { limit: 50, windowMs: 1_000 },
  },
  console: {
    perTarget: { limit: 1_000, windowMs: 1_000 },
    global: { limit: 10_000, windowMs: 1_000 },
  },
};

export interface OutboxLimits {
  /** Overrides per platform; missing fields keep the defaults above. */
  platforms?: Partial<Record<Platform, Partial<PlatformLimits>>>;
  /** Sends of one message (the first try included) before it is given up with a log line. */
  maxAttempts?: number;
  /** Queued messages per target beyond which enqueue refuses (a runaway owner must not eat memory). */
  maxQueuePerTarget?: number;
}

export interface ResolvedLimits {
  platforms: Record<Platform, PlatformLimits>;
  maxAttempts: number;
  maxQueuePerTarget: number;
}

export function resolveLimits(overrides: OutboxLimits = {}): ResolvedLimits {
  const platforms = {} as Record<Platform, PlatformLimits>;
  for (const platform of Object.keys(DEFAULT_LIMITS) as Platform[]) {
    platforms[platform] = { ...DEFAULT_LIMITS[platform], ...overrides.platforms?.[platform] };
  }
  return {
    platforms,
    maxAttempts: overrides.maxAttempts ?? 6,
    maxQueuePerTarget: overrides.maxQueuePerTarget ?? 1_000,
  };
}
