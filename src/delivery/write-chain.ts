/**
 * Ordered, coalescing write-through to a store, one chain per key. A change to a key asks
 * for a write; the write reads the key's state from memory when it runs, so a burst of
 * changes costs one or two writes, and writes of one key can never land out of order (a
 * late `set` overwriting a newer `delete` would resurrect messages already delivered).
 */
export class WriteChain {
  private readonly tails = new Map<string, Promise<void>>();
  /** Keys whose next write is queued but not started: a further change rides along. */
  private readonly queued = new Set<string>();

  constructor(
    /** Writes the key's current state (set it, or delete it when nothing is left). */
    private readonly write: (key: string) => Promise<void>,
    private readonly onError: (key: string, error: unknown) => void,
    /** Resolves when writing may begin (after the store was read: a write must not erase what a load has yet to see). */
    private readonly gate: () => Promise<void> = () => Promise.resolve(),
  ) {}

  touch(key: string): void {
    if (this.queued.has(key)) return;
    this.queued.add(key);
    const previous = this.tails.get(key) ?? this.gate();
    const next = previous
      .then(() => {
        this.queued.delete(key);
        return this.write(key);
      })
      // A failed write is logged; the next change of the key writes its whole state again.
      .catch((error: unknown) => {
        this.queued.delete(key);
        this.onError(key, error);
      });
    this.tails.set(key, next);
    void next.then(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
  }

  /** Resolves when every write asked for so far (and any asked for meanwhile) is done. */
  async flush(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
