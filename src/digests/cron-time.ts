/**
 * Slot arithmetic on node-cron's own matcher, so the times we announce (`/digest show`) and
 * the times we fire agree with node-cron's DST handling. The public `getNextRuns` reads the
 * wall clock; every caller here needs an injected `now` (tests, missed-slot catch-up), so we
 * use the task's matcher directly. A test pins this (test/digests/cron-time.test.ts) in case a
 * node-cron upgrade moves it.
 */
import cron from 'node-cron';

interface Matcher {
  getNextMatch(date: Date): Date;
}

const matchers = new Map<string, Matcher>();
const MAX_CACHED = 1_000;

function matcherFor(expression: string, timezone: string): Matcher {
  const key = `${timezone}\u0000${expression}`;
  let matcher = matchers.get(key);
  if (!matcher) {
    const task = cron.createTask(expression, () => undefined, { timezone });
    matcher = (task as unknown as { timeMatcher?: Matcher }).timeMatcher;
    // The task is only a carrier for its matcher: destroying it drops it from node-cron's registry.
    void task.destroy();
    if (!matcher || typeof matcher.getNextMatch !== 'function') throw new Error('node-cron no longer exposes its time matcher: see src/digests/cron-time.ts');
    if (matchers.size >= MAX_CACHED) matchers.delete(matchers.keys().next().value!);
    matchers.set(key, matcher);
  }
  return matcher;
}

/** The first slot strictly after `from` (ms), in the expression's zone. */
export function nextSlotAfter(expression: string, timezone: string, from: number): number {
  return matcherFor(expression, timezone).getNextMatch(new Date(from)).getTime();
}

/** The next `count` slots strictly after `from`. */
export function nextSlots(expression: string, timezone: string, from: number, count: number): number[] {
  const slots: number[] = [];
  let cursor = from;
  for (let i = 0; i < count; i += 1) {
    cursor = nextSlotAfter(expression, timezone, cursor);
    slots.push(cursor);
  }
  return slots;
}

/**
 * The latest slot in (after, at], or undefined. Walks forward from `after`, which is the last
 * slot a chat already handled, so a tick usually costs one matcher call; the walk never looks
 * further back than `lookbackMs` (a chat silent for months has nothing worth catching up).
 */
export function latestSlotIn(expression: string, timezone: string, after: number, at: number, lookbackMs = 35 * 86_400_000): number | undefined {
  let cursor = Math.max(after, at - lookbackMs);
  let latest: number | undefined;
  for (;;) {
    const next = nextSlotAfter(expression, timezone, cursor);
    if (next > at) return latest;
    latest = next;
    cursor = next;
  }
}
