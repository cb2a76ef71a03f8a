import type { Platform } from '../core/command.js';
import type { Reply } from '../core/reply.js';
import type { TargetQueue } from './lane.js';
import type { OutboxLog } from './outbox-types.js';
import type { QueueBook } from './queue-book.js';
import { fromQueued } from './queued-message.js';
import type { UnreachableMarks } from './unreachable-marks.js';

export interface RestoreDeps {
  book: QueueBook;
  /** Loaded already: a stored queue of a target marked unreachable is not revived. */
  marks: UnreachableMarks;
  log: OutboxLog;
  hasSender(platform: Platform): boolean;
  costOf(platform: Platform, reply: Reply): number;
  schedule(queue: TargetQueue): void;
}

/**
 * Takes over what the store holds at start: stored messages go ahead of anything enqueued
 * before start (they are older), and a pending id counts once. A queue for a platform with no
 * sender this run stays in the store untouched, for a later run that has one.
 */
export async function restoreQueues({ book, marks, log, hasSender, costOf, schedule }: RestoreDeps): Promise<void> {
  const stored = await book.read();
  let reloaded = 0;
  for (const [key, messages] of stored) {
    try {
      const platform = messages[0]!.target.platform;
      if (!hasSender(platform)) {
        log.warn({ target: key, messages: messages.length }, 'outbox: persisted queue has no sender; kept in the store');
        continue;
      }
      const mark = marks.get(key);
      if (mark) {
        // Marked after these were stored (the mark's write landed, the queue's did not).
        log.warn({ target: key, messages: messages.length, reason: mark.reason }, 'outbox: persisted queue of an unreachable target dropped');
        book.discardStored(key);
        continue;
      }
      const queue = book.queueFor(messages[0]!.target);
      book.merge(queue, messages.map((queued) => fromQueued(queued, (reply) => costOf(platform, reply))));
      reloaded += messages.length;
      schedule(queue);
    } catch (error) {
      log.warn({ target: key, err: error }, 'outbox: unreadable persisted queue skipped');
    }
  }
  if (reloaded > 0) log.info({ targets: stored.size, messages: reloaded }, 'outbox: reloaded queued messages');
}
