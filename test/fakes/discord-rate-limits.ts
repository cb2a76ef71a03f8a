/**
 * Discord's REST limits for the fake, when asked: 50 requests a second per bot across every
 * route (interaction callbacks and webhooks are exempt), and about 5 messages per 5 s per
 * channel, both as sliding windows counted on arrival. Answers carry the headers discord.js
 * reads (X-RateLimit-*, Retry-After), so its own bucket handling works as against Discord.
 */
import { SlidingCounter } from './telegram-rate-limits.js';

export interface DiscordRateLimitOptions {
  /** Requests per second over every bot-authenticated route (default 50). */
  globalPerSecond?: number;
  /** Messages per channel per `perChannelWindowMs` (default 5). */
  perChannel?: number;
  /** Default 5,000 ms. */
  perChannelWindowMs?: number;
}

export type RateCheck =
  | { limited: false; headers: Record<string, string> }
  | { limited: true; headers: Record<string, string>; body: { message: string; retry_after: number; global: boolean } };

const CHANNEL_MESSAGES = /^\/channels\/([^/]+)\/messages$/;
const seconds = (ms: number) => (Math.ceil(ms) / 1000).toFixed(3);

export class DiscordRateLimiter {
  private readonly global: SlidingCounter;
  private readonly channels = new Map<string, SlidingCounter>();
  private readonly perChannel: number;
  private readonly perChannelWindowMs: number;

  constructor(options: DiscordRateLimitOptions = {}, private readonly now: () => number = Date.now) {
    this.global = new SlidingCounter(options.globalPerSecond ?? 50, 1_000);
    this.perChannel = options.perChannel ?? 5;
    this.perChannelWindowMs = options.perChannelWindowMs ?? 5_000;
  }

  /** Counts a request that arrived now, or says how it is refused (and nothing is counted). */
  check(method: string, path: string): RateCheck {
    if (path.startsWith('/interactions/') || path.startsWith('/webhooks/')) return { limited: false, headers: {} };
    const now = this.now();
    const globalWait = this.global.waitMs(now);
    if (globalWait > 0) return refusal(globalWait, true, {});
    const channelId = method === 'POST' ? CHANNEL_MESSAGES.exec(path)?.[1] : undefined;
    const channel = channelId === undefined ? undefined : this.channel(channelId);
    const channelWait = channel?.waitMs(now) ?? 0;
    if (channel && channelWait > 0) return refusal(channelWait, false, bucketHeaders(channel, now));
    this.global.take(now);
    if (!channel) return { limited: false, headers: {} };
    channel.take(now);
    return { limited: false, headers: bucketHeaders(channel, now) };
  }

  private channel(id: string): SlidingCounter {
    let channel = this.channels.get(id);
    if (!channel) this.channels.set(id, (channel = new SlidingCounter(this.perChannel, this.perChannelWindowMs)));
    return channel;
  }
}

/** What Discord says about a channel's message bucket on every answer. */
function bucketHeaders(channel: SlidingCounter, now: number): Record<string, string> {
  const resetAfter = channel.resetAfterMs(now);
  return {
    'x-ratelimit-limit': String(channel.limit),
    'x-ratelimit-remaining': String(channel.remaining()),
    'x-ratelimit-reset-after': seconds(resetAfter),
    'x-ratelimit-reset': ((now + resetAfter) / 1000).toFixed(3),
    'x-ratelimit-bucket': 'fake-channel-messages',
  };
}

function refusal(waitMs: number, global: boolean, headers: Record<string, string>): RateCheck {
  return {
    limited: true,
    body: { message: 'You are being rate limited.', retry_after: Number(seconds(waitMs)), global },
    headers: {
      ...headers,
      'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))),
      'x-ratelimit-scope': global ? 'global' : 'user',
      ...(global ? { 'x-ratelimit-global': 'true' } : {}),
    },
  };
}
