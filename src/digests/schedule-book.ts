/**
 * The chats' digest schedules, in memory and in the store, shared by every replica: `/digest
 * set` and `off` may be answered by any of them, and the replica sending the slots (the lease
 * holder) must see those changes. Each write is announced on a change feed; `sync` re-reads
 * only the chats named since the last look (one store read when there are none).
 */
import { ChangeFeed } from '../store/change-feed.js';
import { readInBatches } from '../store/atomic-update.js';
import type { AtomicStoreFactory, KeyValueStore } from '../store/index.js';
import type { DigestRecord } from './types.js';

export class ScheduleBook {
  readonly records = new Map<string, DigestRecord>();
  private readonly store: KeyValueStore<DigestRecord>;
  private readonly feed: ChangeFeed;
  private seen = 0;
  private syncing?: Promise<void>;

  constructor(stores: AtomicStoreFactory) {
    this.store = stores.open<DigestRecord>('digests');
    this.feed = new ChangeFeed(stores, 'digests-changes');
  }

  async load(): Promise<void> {
    // The position first: a change made during the scan is replayed, never missed.
    const seen = await this.feed.head();
    this.records.clear();
    for await (const [key, record] of this.store.entries()) this.records.set(key, record);
    this.seen = seen;
  }

  /** Applies the schedules other replicas set, turned off or paused since the last sync. */
  sync(): Promise<void> {
    this.syncing ??= (async () => {
      const changes = await this.feed.since(this.seen);
      if (changes.kind === 'gap') return this.load();
      const keys = [...new Set(changes.keys)];
      const records = await readInBatches(keys, (key) => this.store.get(key));
      keys.forEach((key, i) => (records[i] ? this.records.set(key, records[i]) : this.records.delete(key)));
      this.seen = changes.seen;
    })().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  async put(key: string, record: DigestRecord): Promise<void> {
    await this.store.set(key, record);
    this.records.set(key, record);
    await this.feed.publish(key);
  }

  async remove(key: string): Promise<boolean> {
    const existed = this.records.delete(key);
    await this.store.delete(key);
    await this.feed.publish(key);
    return existed;
  }
}
