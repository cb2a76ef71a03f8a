import type { Platform } from './command.js';
import type { Reply } from './reply.js';

/** Where a pushed message (alert, digest) goes. */
export interface Target {
  platform: Platform;
  /** Telegram chat id, Discord channel id; for a Discord DM, the user id with `dm: true`. */
  chatId: string;
  dm?: boolean;
  /** Groups have tighter send limits than private chats on Telegram. */
  kind?: 'private' | 'group';
}

export type SendOutcome =
  | { status: 'sent' }
  /** Rate limited or a transient failure: try again after the delay. */
  | { status: 'retry-later'; retryAfterMs: number; reason: string; /** The whole platform is limited, not just this chat. */ global?: boolean }
  /** Blocked, kicked, chat gone, DMs closed: stop sending to this target. */
  | { status: 'unreachable'; reason: string }
  /** The platform refused this one message for good (a 400): drop it, keep the target. */
  | { status: 'rejected'; reason: string };

/** A chat platform connection: receives commands, and sends pushed replies. */
export interface Adapter {
  platform: Platform;
  start(): Promise<void>;
  stop(): Promise<void>;
  send(target: Target, reply: Reply): Promise<SendOutcome>;
  /** Whether a push to the target would be accepted now (see PushService.canReach). */
  canReach?(target: Target): Promise<boolean | undefined>;
}

/** Stable key for per-target bookkeeping (queues, unreachable marks). */
export function targetKey(target: Target): string {
  return `${target.platform}:${target.dm ? 'dm:' : ''}${target.chatId}`;
}
