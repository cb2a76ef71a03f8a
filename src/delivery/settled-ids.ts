/**
 * Messages with an id that this process already settled (delivered, or refused for good), by
 * target, owner and id. An owner re-offers its pending records at start while the outbox may
 * already be sending the same messages from its stored queues; when the outbox wins that race
 * the message has left the queue before the owner re-offers it, and without this memory it
 * would go out a second time. Bounded: the oldest ids are forgotten first.
 */
export type Settled = { outcome: 'delivered' } | { outcome: 'rejected'; reason: string };

export class SettledIds {
  private readonly settled = new Map<string, Settled>();

  constructor(private readonly capacity = 10_000) {}

  record(key: string, settled: Settled): void {
    this.settled.delete(key);
    this.settled.set(key, settled);
    if (this.settled.size > this.capacity) this.settled.delete(this.settled.keys().next().value!);
  }

  get(key: string): Settled | undefined {
    return this.settled.get(key);
  }
}
