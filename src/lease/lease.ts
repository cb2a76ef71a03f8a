/**
 * One named lease in the shared store: which replica runs the pushed work (outbox sends,
 * alert ticks, digest slots). Every change is a compare-and-set from the record just read,
 * so two replicas can never both take it, and a renewal by a holder that was replaced
 * fails instead of stealing it back.
 *
 * Expiry lives in the record (`expiresAt`, on the replicas' clock), not in a store TTL: the
 * record must outlive its holder to carry the fencing token forward, and tests move time
 * by moving the clock. The holder stops trusting its lease `marginMs` before `expiresAt`
 * by its own clock, so a replica that lost touch with the store (or paused) stops sending
 * well before another may start: that margin absorbs clock skew and a send in flight.
 */
import type { AtomicStore } from '../store/index.js';

export interface LeaseRecord {
  holder: string;
  /** Fencing token: grows by one at every change of holder, never reused. */
  token: number;
  /** 0 when released. */
  expiresAt: number;
}

export interface LeaseOptions {
  store: AtomicStore<LeaseRecord>;
  /** The key of the lease in its namespace, e.g. `push`. */
  name: string;
  /** This replica's id (hostname and pid): what the record names as holder. */
  holder: string;
  ttlMs: number;
  /** How long before `expiresAt` the holder stops trusting it; default a third of the TTL. */
  marginMs?: number;
  now: () => number;
}

export class Lease {
  private held: { token: number; expiresAt: number } | undefined;
  readonly ttlMs: number;
  readonly marginMs: number;

  constructor(private readonly options: LeaseOptions) {
    this.ttlMs = options.ttlMs;
    this.marginMs = options.marginMs ?? Math.floor(options.ttlMs / 3);
    if (this.marginMs >= this.ttlMs) throw new Error('the lease margin must be shorter than its TTL');
  }

  get holder(): string {
    return this.options.holder;
  }

  /** The fencing token of the term this replica holds, or undefined. */
  get token(): number | undefined {
    return this.isHeld() ? this.held?.token : undefined;
  }

  /** Whether this replica may act as holder now: no I/O, its own clock against the margin. */
  isHeld(): boolean {
    return this.held !== undefined && this.options.now() < this.held.expiresAt - this.marginMs;
  }

  /**
   * Takes the lease when free (absent, released or expired), or renews it when held.
   * Returns whether this replica holds it afterwards. A store error counts as not held.
   */
  async acquireOrRenew(): Promise<boolean> {
    const { store, name, holder, now } = this.options;
    const current = await store.get(name);
    const at = now();
    const mine = current?.holder === holder && current.token === this.held?.token && current.expiresAt > at;
    const free = !current || current.expiresAt <= at;
    if (!mine && !free) {
      this.held = undefined;
      return false;
    }
    const next: LeaseRecord = { holder, token: mine ? current.token : (current?.token ?? 0) + 1, expiresAt: at + this.ttlMs };
    const swapped = await store.compareAndSet(name, current, next);
    this.held = swapped ? { token: next.token, expiresAt: next.expiresAt } : undefined;
    return swapped;
  }

  /** Gives the lease up at once (shutdown), keeping the token so the next holder's is larger. */
  async release(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    if (!held) return;
    const { store, name, holder } = this.options;
    const current = await store.get(name);
    if (current?.holder !== holder || current.token !== held.token) return;
    await store.compareAndSet(name, current, { ...current, expiresAt: 0 });
  }

  /** Forgets the term locally (the store could not be reached to renew it). */
  drop(): void {
    this.held = undefined;
  }

  /** What the store says now (status, metrics). */
  read(): Promise<LeaseRecord | undefined> {
    return this.options.store.get(this.options.name);
  }
}
