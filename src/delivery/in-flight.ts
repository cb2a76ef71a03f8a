/**
 * The sends on the wire, and who waits for the outbox to go idle (nothing queued, nothing in
 * flight): the drain at stop, and tests. `queued` is read at each check, not copied.
 */
export class InFlightSends {
  private readonly sends = new Set<Promise<void>>();
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly queued: () => number) {}

  get size(): number {
    return this.sends.size;
  }

  /** Tracks a send until it settles; its end may make the outbox idle. */
  track(send: Promise<void>): Promise<void> {
    const tracked = send.finally(() => {
      this.sends.delete(tracked);
      this.notifyIfIdle();
    });
    this.sends.add(tracked);
    return tracked;
  }

  /** Settles when every send tracked so far has. */
  settled(): Promise<unknown> {
    return Promise.all(this.sends);
  }

  whenIdle(): Promise<void> {
    if (this.queued() === 0 && this.sends.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  notifyIfIdle(): void {
    if (this.queued() !== 0 || this.sends.size !== 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
