import type { SendOutcome } from '../core/adapter.js';
import type { OutboxSender } from './outbox-types.js';
import type { PaceTurn } from './pacer.js';
import type { PendingMessage } from './queued-message.js';

const MAX_ERROR_BACKOFF_MS = 60_000;

/**
 * One send of a queued message. A sender that throws (network down, a bug) gets the message
 * back later with exponential backoff, capped, so a lane only ever sees an outcome.
 */
export function attemptSend(sender: OutboxSender, message: PendingMessage, pace?: PaceTurn): Promise<SendOutcome> {
  return sender.send(message.target, message.reply, pace).catch((error: unknown): SendOutcome => {
    const backoff = Math.min(MAX_ERROR_BACKOFF_MS, 1_000 * 2 ** (message.attempts - 1));
    return { status: 'retry-later', retryAfterMs: backoff, reason: error instanceof Error ? error.message : String(error) };
  });
}
