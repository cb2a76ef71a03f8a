import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';

/** A named piece of periodic work; it never overlaps itself and its failures are only logged. */
export type ScheduledWork = (firedAt: Date) => Promise<void> | void;

export interface CronOptions {
  /** IANA zone the expression is read in (DST handled by node-cron); UTC by default. */
  timezone?: string;
}

/**
 * The one scheduler behind every timed job (the alert tick, digest slots), on node-cron with
 * noOverlap so a slow tick is skipped rather than stacked. node-cron reads the time through
 * Date and setTimeout, so vitest's fake timers drive it; `runNow` lets a test fire a job
 * without waiting for its slot.
 */
export class Scheduler {
  private readonly tasks = new Map<string, { task: ScheduledTask; work: ScheduledWork }>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly log: Pick<Logger, 'warn' | 'error' | 'debug'>) {}

  /** Runs `work` every `seconds` (a divisor of 60, or a whole number of minutes dividing 60). */
  every(name: string, seconds: number, work: ScheduledWork): void {
    this.cron(name, everySecondsExpression(seconds), {}, work);
  }

  /** Runs `work` at each match of a cron expression (5 or 6 fields) in the given zone. */
  cron(name: string, expression: string, options: CronOptions, work: ScheduledWork): void {
    if (this.stopped) throw new Error('the scheduler is stopped');
    this.cancel(name);
    const task = cron.createTask(expression, (context) => this.execute(name, work, context.date), {
      name,
      timezone: options.timezone ?? 'UTC',
      noOverlap: true,
      // The work is cheap to skip and must not keep a finished CLI run alive.
      unref: true,
      suppressMissedWarning: true,
      logger: { info: () => undefined, debug: () => undefined, warn: (message) => this.log.debug({ job: name }, String(message)), error: (message) => this.log.warn({ job: name }, String(message)) },
    });
    this.tasks.set(name, { task, work });
    void task.start();
  }

  /** The next time a job runs, or undefined when it is not scheduled. */
  nextRun(name: string): Date | undefined {
    return this.tasks.get(name)?.task.getNextRun() ?? undefined;
  }

  has(name: string): boolean {
    return this.tasks.has(name);
  }

  /** Fires a job now (tests, `/digest now`-style manual triggers); resolves when it finished. */
  runNow(name: string): Promise<void> {
    const entry = this.tasks.get(name);
    if (!entry) return Promise.reject(new Error(`no scheduled job named ${name}`));
    return this.execute(name, entry.work, new Date());
  }

  cancel(name: string): void {
    const entry = this.tasks.get(name);
    if (!entry) return;
    this.tasks.delete(name);
    void entry.task.destroy();
  }

  /** Stops every job and waits (up to `timeoutMs`) for runs already under way. */
  async stop(timeoutMs = 5_000): Promise<void> {
    this.stopped = true;
    for (const name of [...this.tasks.keys()]) this.cancel(name);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.running]), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  private execute(name: string, work: ScheduledWork, firedAt: Date): Promise<void> {
    const run = (async () => {
      try {
        await work(firedAt);
      } catch (error) {
        this.log.error({ err: error, job: name }, 'scheduled job failed');
      }
    })();
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return run;
  }
}

/** `*\/30 * * * * *` for 30 s, `0 *\/5 * * * *` for 300 s; other periods cannot be a cron step. */
export function everySecondsExpression(seconds: number): string {
  if (Number.isInteger(seconds) && seconds >= 1 && seconds < 60 && 60 % seconds === 0) return `*/${seconds} * * * * *`;
  const minutes = seconds / 60;
  if (Number.isInteger(minutes) && minutes >= 1 && minutes <= 60 && 60 % minutes === 0) return `0 */${minutes} * * * *`;
  throw new Error(`${seconds} s is not a period the scheduler can keep: use a divisor of 60 s or of 60 min`);
}
