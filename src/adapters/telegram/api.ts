/**
 * Calls to the Bot API with a deadline, and what a failed call means for delivery.
 * telegraf's own calls wait up to 500 s for an answer; a send stuck that long would stall
 * the outbox queue of its chat, so every call the adapter makes goes through here.
 */
import { TelegramError, type Telegram } from 'telegraf';
import type { Opts, Telegram as ApiMethods } from 'telegraf/types';
import type { SendOutcome } from '../../core/adapter.js';

export type TelegramApi = Telegram;

export const CALL_TIMEOUT_MS = 20_000;
/** Wait after a 5xx or a network failure before the outbox tries again. */
export const TRANSIENT_RETRY_MS = 2_000;
/** Wait after a refusal we do not understand (a 4xx other than 400); the outbox's attempt limit ends the loop. */
export const REJECTED_RETRY_MS = 60_000;

// 400 answers that mean the chat is gone for good, not that the message was wrong.
const CHAT_GONE =
  /chat not found|user not found|peer_id_invalid|chat_write_forbidden|have no rights to send|not enough rights to send|group chat was upgraded|bot was kicked|user is deactivated|chat was deleted/i;
const MARKUP_REFUSED = /can't parse entities|can't find end tag|unsupported start tag/i;
const NOT_MODIFIED = /message is not modified/i;

export async function callTelegram<M extends keyof ApiMethods>(
  api: TelegramApi,
  method: M,
  payload: Opts<M>,
  timeoutMs = CALL_TIMEOUT_MS,
): Promise<ReturnType<ApiMethods[M]>> {
  // node-fetch (inside telegraf) accepts Node's AbortSignal at run time; its types name a polyfill.
  const signal = AbortSignal.timeout(timeoutMs) as unknown as NonNullable<Parameters<TelegramApi['callApi']>[2]>['signal'];
  return api.callApi(method, payload, { signal });
}

export function isTelegramError(error: unknown): error is TelegramError {
  return error instanceof TelegramError;
}

export function isMarkupRefused(error: unknown): boolean {
  return isTelegramError(error) && error.code === 400 && MARKUP_REFUSED.test(error.description);
}

export function isNotModified(error: unknown): boolean {
  return isTelegramError(error) && error.code === 400 && NOT_MODIFIED.test(error.description);
}

export function describeError(error: unknown): string {
  if (isTelegramError(error)) return `${error.code}: ${error.description}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Maps a failed Bot API call onto what the outbox should do next. */
export function outcomeForError(error: unknown): SendOutcome {
  const reason = describeError(error);
  if (!isTelegramError(error)) return { status: 'retry-later', retryAfterMs: TRANSIENT_RETRY_MS, reason };
  if (error.code === 429) {
    const seconds = error.parameters?.retry_after;
    return { status: 'retry-later', retryAfterMs: Math.max(1, seconds ?? 1) * 1000, reason };
  }
  if (error.code === 403) return { status: 'unreachable', reason };
  if (error.code === 400 && CHAT_GONE.test(error.description)) {
    const movedTo = error.parameters?.migrate_to_chat_id;
    return { status: 'unreachable', reason: movedTo ? `${reason} (now chat ${movedTo})` : reason };
  }
  // Any other 400 is about this message (too long, markup refused even as plain text, bad
  // button data): the same message would be refused again, and the chat itself is fine.
  if (error.code === 400) return { status: 'rejected', reason };
  if (error.code >= 500) return { status: 'retry-later', retryAfterMs: TRANSIENT_RETRY_MS, reason };
  return { status: 'retry-later', retryAfterMs: REJECTED_RETRY_MS, reason: `rejected: ${reason}` };
}

/** The wait a failed send asks for (a 429's retry_after), in ms; 0 when it asks for none. */
export function retryAfterMsOf(error: unknown): number {
  if (!isTelegramError(error) || error.code !== 429) return 0;
  return Math.max(1, error.parameters?.retry_after ?? 1) * 1000;
}

/** Telegram takes numeric chat ids as numbers and channel names (`@name`) as strings. */
export function chatIdFor(id: string): number | string {
  return /^-?\d+$/.test(id) ? Number(id) : id;
}
