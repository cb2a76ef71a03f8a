/**
 * What a Discord failure means for the bot: which errors end a conversation with a target
 * (stop sending: Discord bans IPs that keep making invalid requests), which are worth a
 * retry, and a plain sentence for the log.
 */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import type { SendOutcome } from '../../core/adapter.js';

/** Discord JSON error codes the adapter treats specially. */
export const DiscordErrorCode = {
  UnknownChannel: 10003,
  UnknownMessage: 10008,
  UnknownUser: 10013,
  UnknownWebhook: 10015,
  UnknownInteraction: 10062,
  MissingAccess: 50001,
  CannotSendToUser: 50007,
  MissingPermissions: 50013,
  InvalidFormBody: 50035,
  AlreadyAcknowledged: 40060,
} as const;

const UNREACHABLE: Record<number, string> = {
  [DiscordErrorCode.UnknownChannel]: 'unknown channel (deleted, or the bot cannot see it)',
  [DiscordErrorCode.UnknownUser]: 'unknown user',
  [DiscordErrorCode.MissingAccess]: 'missing access to the channel (bot removed or channel hidden)',
  [DiscordErrorCode.CannotSendToUser]: 'cannot send messages to this user (DMs closed or bot blocked)',
  [DiscordErrorCode.MissingPermissions]: 'missing permission to post in the channel',
};

export const DEFAULT_RETRY_MS = 10_000;
// A message Discord refuses (400) will be refused again soon; wait long rather than hammer it.
export const REJECTED_RETRY_MS = 5 * 60_000;

export function discordErrorCode(error: unknown): number | undefined {
  return error instanceof DiscordAPIError && typeof error.code === 'number' ? error.code : undefined;
}

/** Maps a failed push (channel message or DM) to the outbox's outcome; never throws. */
export function classifySendError(error: unknown): SendOutcome {
  if (error instanceof RateLimitError) {
    return { status: 'retry-later', retryAfterMs: Math.max(error.retryAfter, error.timeToReset, 1), reason: `rate limited on ${error.route}` };
  }
  if (error instanceof DiscordAPIError) {
    const code = discordErrorCode(error);
    const known = code === undefined ? undefined : UNREACHABLE[code];
    if (known) return { status: 'unreachable', reason: `${known} (Discord ${code})` };
    if (error.status === 403 || error.status === 404) return { status: 'unreachable', reason: `Discord ${error.status} ${error.code}: ${error.message}` };
    // A 400 (50035 Invalid Form Body: too long, bad embed) is about this message, not the channel.
    if (error.status === 400 || code === DiscordErrorCode.InvalidFormBody) {
      return { status: 'rejected', reason: `Discord refused the message (${error.status} ${error.code}: ${error.message})` };
    }
    if (error.status === 401) return { status: 'retry-later', retryAfterMs: REJECTED_RETRY_MS, reason: 'Discord rejected the bot token (401)' };
    return { status: 'retry-later', retryAfterMs: REJECTED_RETRY_MS, reason: `Discord rejected the message (${error.status} ${error.code}: ${error.message})` };
  }
  if (error instanceof HTTPError) {
    return { status: 'retry-later', retryAfterMs: DEFAULT_RETRY_MS, reason: `Discord server error ${error.status} after retries` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: 'retry-later', retryAfterMs: DEFAULT_RETRY_MS, reason: `network error talking to Discord: ${message}` };
}

/** A log line for an interaction answer that failed, and whether it is routine. */
export function describeInteractionError(error: unknown): { level: 'warn' | 'error'; message: string } {
  switch (discordErrorCode(error)) {
    case DiscordErrorCode.UnknownInteraction:
      return { level: 'warn', message: 'Discord interaction expired or unknown (10062): the first answer came after 3 s or the token is gone; dropped' };
    case DiscordErrorCode.AlreadyAcknowledged:
      return { level: 'warn', message: 'Discord interaction already acknowledged (40060); dropped the second answer' };
    case DiscordErrorCode.UnknownWebhook:
    case DiscordErrorCode.UnknownMessage:
      return { level: 'warn', message: 'Discord interaction message gone (token older than 15 min, or message deleted); dropped' };
  }
  if (error instanceof RateLimitError) return { level: 'warn', message: `Discord rate limit on ${error.route} (retry after ${error.retryAfter} ms); answer dropped` };
  if (error instanceof HTTPError) return { level: 'warn', message: `Discord server error ${error.status} while answering an interaction; dropped` };
  return { level: 'error', message: 'answering a Discord interaction failed' };
}
