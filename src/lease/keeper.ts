/**
 * Keeps a Lease: tries to take or renew it every `ttl / 4`, runs the holder's work for each
 * term it wins, and stops that work as soon as the term is lost or no longer trusted. With
 * the default margin (a third of the TTL) a holder notices a lost term before a rival can
 * take it: it renews at least three times per TTL and stops `margin` before expiry, and a
 * rival waits for the full expiry.
 */
import type { Lease } from './lease.js';

export interface LeaseWork {
  /** The term `token` began: load state from the store and start sending. */
  start(token: number): Promise<void>;
  /** The term ended (lost, untrusted, or shutdown): stop; state stays in the store. */
  stop(): Promise<void>;
}

export interface LeaseKeeperOptions {
  lease: Lease;
  work: LeaseWork;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Renewal period; default a quarter of the TTL (must stay under the margin). */
  renewEveryMs?: number;
  /** Metrics hooks. */
  onHolderChange?: (held: boolean) => void;
  onRenewed?: () => void;
}

export class LeaseKeeper {
  private runningToken: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stepping: Promise<void> | undefined;
  private closed = false;
  readonly renewEveryMs: number;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.renewEveryMs = options.renewEveryMs ?? Math.floor(options.lease.ttlMs / 4);
    if (this.renewEveryMs >= options.lease.marginMs) throw new Error('renew the lease more often than its margin');
  }

  /** Whether this replica is running the holder's work now. */
  get leading(): boolean {
    return this.runningToken !== undefined;
  }

  /** Starts the renewal loop (first attempt at once). */
  async start(): Promise<void> {
    this.closed = false;
    await this.step();
    this.schedule();
  }

  /**
   * One round: renew or take the lease, then start or stop the work to match. Runs one at a
   * time; tests call it directly with their own clock.
   */
  step(): Promise<void> {
    this.stepping ??= this.round().finally(() => (this.stepping = undefined));
    return this.stepping;
  }

  /** Stops the loop and the work, then releases the lease so a rival takes over at once. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.stepping;
    await this.end();
    await this.options.lease.release().catch((error: unknown) => this.options.log.warn({ err: error }, 'lease: release failed; it expires on its own'));
  }

  /** Stops the loop without releasing: what a killed process leaves behind (tests). */
  abandon(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      void this.step().finally(() => this.schedule());
    }, this.renewEveryMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    if (this.closed) return;
    const { lease, log } = this.options;
    let held: boolean;
    try {
      held = await lease.acquireOrRenew();
    } catch (error) {
      // The store is unreachable: keep working only while the last renewal is still trusted.
      held = lease.isHeld();
      log.warn({ err: error, trusted: held }, 'lease: could not reach the store to renew');
    }
    const token = held ? lease.token : undefined;
    if (token !== undefined && token === this.runningToken) {
      this.options.onRenewed?.();
      return;
    }
    await this.end();
    if (token === undefined || this.closed) return;
    this.runningToken = token;
    log.info({ holder: lease.holder, token }, 'lease: this replica now runs the pushed work');
    this.options.onHolderChange?.(true);
    try {
      await this.options.work.start(token);
    } catch (error) {
      // Half-started work must not keep the lease: give it up so another replica can try.
      log.warn({ err: error }, 'lease: starting the pushed work failed; releasing the lease');
      await this.end();
      await lease.release().catch(() => undefined);
    }
  }

  private async end(): Promise<void> {
    if (this.runningToken === undefined) return;
    const token = this.runningToken;
    this.runningToken = undefined;
    this.options.onHolderChange?.(false);
    this.options.log.info({ token }, 'lease: this replica stopped running the pushed work');
    await this.options.work.stop();
  }
}
