/**
 * Shutdown within a bound. Docker (and most orchestrators) send SIGKILL 10 s after SIGTERM,
 * so everything here fits in STOP_BOUND_MS: what is not sent by then is already in the store
 * (the outbox writes through), so cutting the drain short loses nothing, and a lease not
 * released in time expires on its own.
 */
import type { Logger } from 'pino';
import type { Platform } from './core/command.js';
import { settleWithin } from './delivery/settle-within.js';

/** The whole shutdown, below Docker's default 10 s grace. */
export const STOP_BOUND_MS = 9_000;
/** The longest the outbox drains, whatever OUTBOX_STOP_TIMEOUT_MS says. */
export const MAX_DRAIN_MS = 5_000;
const FEATURES_STOP_MS = 1_000;
/** Kept for the adapters that stop after the drain (discord.js's destroy). */
const LATE_STOP_MS = 2_500;

export interface StopPlan {
  /** Alerts, digests and the scheduler: no new pushes after this. */
  features(): Promise<void>;
  drain(timeoutMs: number): Promise<void>;
  adapters: { platform: Platform; stop(): Promise<void> }[];
  /**
   * Last: give up the push lease so another replica takes over at once. Bounded like the
   * rest: a hung Redis must not hold the exit (the lease then expires on its own).
   */
  release?(): Promise<void>;
  /** OUTBOX_STOP_TIMEOUT_MS. */
  drainMs: number;
  log: Pick<Logger, 'info' | 'warn'>;
}

/**
 * Stops the pushed work, then drains the outbox while the chat adapters stop taking commands.
 * Telegram sends over the Bot API, not its poller, so it stops alongside the drain; Discord's
 * destroy() also closes the REST client the drain sends through, so it goes last.
 */
export async function stopWithin(plan: StopPlan, boundMs = STOP_BOUND_MS): Promise<void> {
  const started = Date.now();
  const left = () => Math.max(0, boundMs - (Date.now() - started));
  const work = (async () => {
    await settleWithin(plan.features(), FEATURES_STOP_MS);
    const drainMs = Math.max(0, Math.min(plan.drainMs, MAX_DRAIN_MS, left() - LATE_STOP_MS));
    const late = plan.adapters.filter((adapter) => adapter.platform === 'discord');
    const early = plan.adapters.filter((adapter) => adapter.platform !== 'discord');
    await Promise.all([plan.drain(drainMs), ...early.map((adapter) => settleWithin(adapter.stop(), left()))]);
    await Promise.all(late.map((adapter) => settleWithin(adapter.stop(), left())));
    if (plan.release) await settleWithin(plan.release(), left());
  })();
  await settleWithin(work, boundMs);
  if (left() === 0) plan.log.warn({ boundMs }, 'shutdown hit its bound; whatever was not sent stays queued in the store, and a lease not released expires on its own');
}
