/** The outbox's public shapes: what it needs from its owner and what it reports back. */
import type { Adapter, Target } from '../core/adapter.js';
import type { Platform } from '../core/command.js';
import type { Reply } from '../core/reply.js';
import type { KeyValueStore } from '../store/index.js';
import type { OutboxLimits } from './limits.js';
import type { QueuedMessage } from './queued-message.js';

/** The slice of a pino logger the outbox writes to. */
export interface OutboxLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * What the outbox needs from an adapter. `partsOf` says how many platform messages a reply
 * becomes (Telegram: the chart, then each text part), so the limiter counts what the platform
 * counts; without it every reply counts as one.
 */
export type OutboxSender = Pick<Adapter, 'send'> & { partsOf?(reply: Reply): number };

export interface OutboxOptions {
  senders: Partial<Record<Platform, OutboxSender>>;
  /** Where queues survive a restart: `stores.open('outbox')`. */
  store: KeyValueStore<QueuedMessage[]>;
  log: OutboxLog;
  /** Called once when a target turns unreachable, so its owner pauses instead of retrying forever. */
  onUnreachable?: (target: Target, reason: string) => void | Promise<void>;
  /** Must move with the timers (vitest fake timers move both). */
  now?: () => number;
  limits?: OutboxLimits;
}

export type RefusalCode = 'unreachable' | 'no-sender' | 'queue-full' | 'stopped';
export type EnqueueResult = { status: 'queued'; position: number } | { status: 'refused'; code: RefusalCode; reason: string };

export interface OutboxStats {
  state: 'idle' | 'running' | 'stopping' | 'stopped';
  queued: number;
  inFlight: number;
  targets: number;
  unreachable: number;
  sent: number;
  /** Retry-later outcomes (429s, transient failures), each retried later. */
  retried: number;
  gaveUp: number;
  /** Messages dropped because their target turned unreachable. */
  dropped: number;
  refused: number;
}
