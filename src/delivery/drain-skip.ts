/**
 * A second signal during shutdown: the drain stops waiting for the queue, and sends already on
 * the wire get only a short moment. One per stop; reset() readies it for the next.
 */
export class DrainSkip {
  private skippedNow = false;
  private readonly waiters: (() => void)[] = [];

  get skipped(): boolean {
    return this.skippedNow;
  }

  skip(): void {
    this.skippedNow = true;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** Resolves when skip() is called (at once if it already was). */
  whenSkipped(): Promise<void> {
    return new Promise((resolve) => (this.skippedNow ? resolve() : this.waiters.push(resolve)));
  }

  reset(): void {
    this.skippedNow = false;
    this.waiters.length = 0;
  }
}
