/** The outbox's public shapes: what it needs from its owner and what it reports back. */
import type { Adapter, SendOutcome, Target } from '../core/adapter.js';
import type { Platform } from '../core/command.js';
import type { Reply } from '../core/reply.js';
import type { KeyValueStore } from '../store/index.js';
import type { OutboxLimits } from './limits.js';
import type { PaceTurn } from './pacer.js';
import type { PushOwner } from './push.js';
import type { QueuedMessage } from './queued-message.js';
import type { UnreachableMark } from './unreachable-marks.js';

/** The slice of a pino logger the outbox writes to. */
export interface OutboxLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * What the outbox needs from an adapter. `partsOf` says how many platform messages a reply
 * becomes (Telegram: the chart, then each text part), so the limiter counts what the platform
 * counts; without it every reply counts as one. A sender with `pacesParts` takes a PaceTurn and
 * waits on it before each part, so a reply's parts keep to the chat's own limit (1/s on
 * Telegram) instead of going as one burst the platform answers with a 429.
 */
export type OutboxSender = Pick<Adapter, 'canReach'> & {
  send(target: Target, reply: Reply, pace?: PaceTurn): Promise<SendOutcome>;
  partsOf?(reply: Reply): number;
  readonly pacesParts?: boolean;
};

export interface OutboxOptions {
  senders: Partial<Record<Platform, OutboxSender>>;
  /**
   * The queues' source of truth, written through on every change: `stores.open('outbox')`.
   * A message is there from enqueue until the platform accepted or refused it.
   */
  store: KeyValueStore<QueuedMessage[]>;
  /** Where unreachable marks survive a restart: `stores.open('outbox-unreachable')`. Memory only without it. */
  unreachableStore?: KeyValueStore<UnreachableMark>;
  log: OutboxLog;
  /** Features that push messages, by the `owner` name their messages carry (more can join with registerOwner). */
  owners?: Record<string, PushOwner>;
  /** Called once when a target turns unreachable (besides every owner's `unreachable`). */
  onUnreachable?: (target: Target, reason: string) => void | Promise<void>;
  /** Must move with the timers (vitest fake timers move both). */
  now?: () => number;
  limits?: OutboxLimits;
}

export type RefusalCode = 'unreachable' | 'no-sender' | 'queue-full' | 'stopped';
/**
 * `duplicate`: a message with the same owner and id is already pending for the target (in
 * memory, or in the store at start); this one was ignored and `position` is the pending one's.
 */
export type EnqueueResult =
  | { status: 'queued'; position: number; duplicate?: true }
  | { status: 'refused'; code: RefusalCode; reason: string };

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
  /** Messages the platform refused for good (a 400), dropped with the target kept. */
  rejected: number;
  /** Messages dropped because their target turned unreachable. */
  dropped: number;
  refused: number;
}
