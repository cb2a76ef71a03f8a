/**
 * Only one process may long-poll a bot token: Telegram answers every other getUpdates with
 * 409 Conflict, and two pollers would take turns failing. On a shared store (replicas on one
 * Redis) the poller therefore holds a claim there first, a Lease named `telegram-poll`. A
 * second replica in polling mode finds it held, does not poll at all, and says that more than
 * one replica needs webhook mode, instead of fighting over 409s.
 *
 * Why the store and not a REPLICAS variable: the store already knows who is running (the
 * push lease lives there), and `docker compose up --scale bot=2` changes the replica count
 * without anyone remembering to change a variable to match.
 */
import { Lease, type LeaseRecord } from '../../lease/lease.js';
import type { AtomicStore } from '../../store/index.js';

export class PollClaimedElsewhere extends Error {}

export interface PollClaim {
  /** Takes the claim (waiting out a dead holder's), or throws PollClaimedElsewhere. */
  take(): Promise<void>;
  /** Gives it up so the next poller (a restart, a rolling deploy) starts at once. */
  release(): Promise<void>;
}

export interface PollClaimOptions {
  store: AtomicStore<LeaseRecord>;
  /** This replica's id (hostname:pid), as the push lease names it. */
  holder: string;
  /** How long a claim outlives its holder (LEASE_TTL_MS). */
  ttlMs: number;
  now: () => number;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Waits between attempts (tests move a clock instead). */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export const WEBHOOK_REQUIRED =
  'with more than one replica, Telegram needs webhook mode: set TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET on every replica (behind one load balancer) so each receives updates';

export function storePollClaim(options: PollClaimOptions): PollClaim {
  const { holder, ttlMs, now, log } = options;
  const sleep = options.sleep ?? realSleep;
  const lease = new Lease({ store: options.store, name: 'telegram-poll', holder, ttlMs, now });
  const renewEveryMs = Math.floor(ttlMs / 4);
  let timer: NodeJS.Timeout | undefined;

  const renew = () => {
    timer = setTimeout(() => {
      void lease.acquireOrRenew().then(
        (held) => {
          if (!held) log.error({ holder }, `telegram: lost the long-polling claim to another replica; ${WEBHOOK_REQUIRED}`);
          renew();
        },
        (error: unknown) => {
          log.error({ err: error }, 'telegram: could not renew the long-polling claim (store unreachable)');
          renew();
        },
      );
    }, renewEveryMs);
    timer.unref();
  };

  return {
    async take() {
      // A holder that died (crash, SIGKILL) stops renewing: its claim lapses within the TTL.
      // A live one renews every quarter TTL, so after a full TTL it is still there.
      const deadline = now() + ttlMs + renewEveryMs;
      let waited = false;
      while (!(await lease.acquireOrRenew())) {
        const current = await lease.read();
        if (now() >= deadline) {
          throw new PollClaimedElsewhere(`replica ${current?.holder ?? 'unknown'} is already long-polling this bot token; ${WEBHOOK_REQUIRED}`);
        }
        if (!waited) log.info({ holder: current?.holder }, 'telegram: another process holds the long-polling claim; waiting to see whether it is still alive');
        waited = true;
        await sleep(renewEveryMs);
      }
      renew();
    },
    async release() {
      clearTimeout(timer);
      timer = undefined;
      await lease.release();
    },
  };
}
