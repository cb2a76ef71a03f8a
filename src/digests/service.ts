/**
 * Scheduled digests: schedules per chat in keyv, one minute tick that finds every slot due,
 * one market fetch per slot shared by all chats due in it, and delivery through the outbox.
 *
 * Why one minute tick rather than one node-cron job per (expression, zone): the tick asks
 * "which slot is due now" of every distinct (expression, zone) group, walking forward from the
 * last slot each chat handled. The same question answers on-time slots, a tick skipped by
 * noOverlap while a slow slot ran, and slots missed while the bot was down, so there is one
 * code path and no job to create or cancel when a chat changes its schedule. A group costs one
 * matcher call per minute (~0.1 ms); chats sharing a schedule share it.
 *
 * Progress lives apart from the schedules: one SlotRecord per slot (see types.ts), because a
 * store write per chat (~4 ms on SQLite) would make 10,000 chats at 08:00 take a minute.
 *
 * Replicas on one store: any of them answers /digest (schedule-book.ts announces each change,
 * and the slot runner re-reads those first); only the lease holder runs slots, and each slot's
 * chats are claimed by compare-and-set (slot-claims.ts), so neither a takeover nor two runners
 * send a digest twice.
 */
import { targetKey, type Target } from '../core/adapter.js';
import type { PushFeature, PushFeatureDeps } from '../core/push-feature.js';
import type { Reply } from '../core/reply.js';
import { closestMatches } from '../core/suggest.js';
import type { PushOwner } from '../delivery/push.js';
import type { AtomicStore } from '../store/index.js';
import { composeDigest, coveredAssets, type Digest } from './compose.js';
import { nextSlots } from './cron-time.js';
import { dueSlots } from './due-slots.js';
import { fetchAssets } from './fetch.js';
import { ScheduleBook } from './schedule-book.js';
import { claimSlot, releaseClaims, slotKey } from './slot-claims.js';
import { parseScheduleSpec, shown } from './schedule-spec.js';
import type { DigestRecord, DigestSnapshot, DigestsApi, RunReport, ScheduleView, SetOutcome, SlotRecord } from './types.js';
import { suggestZones } from './zones.js';

export const DIGEST_JOB = 'digests';
/** A slot handled within this long counts as on time (a tick can run a few seconds late, or wait behind a slow one). */
const ON_TIME_MS = 2 * 60_000;

export class DigestService implements PushFeature, DigestsApi {
  readonly name = 'digests';
  readonly owner: PushOwner;
  private readonly schedules: ScheduleBook;
  private readonly slotStore: AtomicStore<SlotRecord>;
  private readonly slots = new Map<number, SlotRecord>();
  /** Per chat: the last slot handled (sent or skipped) and the slot whose snapshot it last got. */
  private readonly progress = new Map<string, { lastSlot?: number; snapshotAt?: number }>();
  /** runDue passes run one at a time, so two triggers for one instant cannot both send. */
  private chain: Promise<unknown> = Promise.resolve();
  private loading?: Promise<void>;

  constructor(private readonly deps: PushFeatureDeps) {
    this.schedules = new ScheduleBook(deps.stores);
    this.slotStore = deps.stores.open<SlotRecord>('digest-slots');
    this.owner = {
      unreachable: (target, reason) => this.pause(target, reason),
      rejected: (id, target, reason) => this.deps.log.warn({ id, target: targetKey(target), reason }, 'digest rejected by the platform'),
      delivered: (id) => this.deps.log.debug({ id }, 'digest delivered'),
    };
  }

  /**
   * Schedules and slot records from the store, read once. start() and every API call share it,
   * so a one-shot `basisbot ask "/digest show"` (which never starts the features) sees what is stored.
   */
  private load(): Promise<void> {
    this.loading ??= (async () => {
      await this.schedules.load();
      for await (const [, slot] of this.slotStore.entries()) this.remember(slot);
    })();
    return this.loading;
  }

  private get records(): Map<string, DigestRecord> {
    return this.schedules.records;
  }

  /** Loaded, plus what other replicas changed since (any replica may answer /digest). */
  private async fresh(): Promise<void> {
    await this.load();
    await this.schedules.sync();
  }

  async start(): Promise<void> {
    await this.load();
    await this.prune();
    this.deps.scheduler.cron(DIGEST_JOB, '* * * * *', { timezone: 'UTC' }, () => this.runDue(this.deps.now()).then(() => undefined));
    // Catch up on a slot missed while the bot was down, without holding up start-up on the venues.
    void this.runDue(this.deps.now()).catch((error: unknown) => this.deps.log.error({ err: error }, 'digest catch-up failed'));
    this.deps.log.info({ chats: this.records.size }, 'digests: schedules loaded');
  }

  async stop(): Promise<void> {
    this.deps.scheduler.cancel(DIGEST_JOB);
    await this.chain.catch(() => undefined);
  }

  runDue(at: number): Promise<RunReport> {
    const run = this.chain.then(() => this.runSlots(at));
    this.chain = run.catch(() => undefined);
    return run;
  }

  async set(target: Target, text: string, setBy: string): Promise<SetOutcome> {
    await this.fresh();
    const parsed = parseScheduleSpec(text);
    if (!parsed.ok) return parsed;
    const { spec } = parsed;
    if (spec.assets) {
      const known = await this.deps.market.knownAssets();
      const unknown = spec.assets.find((asset) => !known.includes(asset));
      if (unknown) {
        const close = closestMatches(unknown, known);
        const zones = suggestZones(unknown, 2);
        const hint = [close.length ? `Did you mean ${close.join(', ')}?` : `Known assets include ${known.slice(0, 8).join(', ')}.`, zones.length ? `If it was a time zone: ${zones.join(', ')}.` : ''];
        return { ok: false, error: `Unknown asset ${shown(unknown)}: not listed on ${this.deps.market.venues().join(', ')}.`, hint: hint.filter(Boolean).join(' ') };
      }
    }
    const key = targetKey(target);
    const previous = this.records.get(key);
    const record: DigestRecord = {
      target,
      when: spec.when,
      expression: spec.expression,
      timezone: spec.timezone ?? this.deps.config.digests.timezone,
      assets: spec.assets,
      setBy,
      setAt: this.deps.now(),
    };
    await this.schedules.put(key, record);
    if (previous?.paused || this.deps.push.isUnreachable(target)) await this.deps.push.markReachable(target);
    return { ok: true, view: { ...this.view(record), ...(previous?.paused ? { resumed: previous.paused } : {}) } };
  }

  async show(target: Target): Promise<ScheduleView | undefined> {
    await this.fresh();
    const record = this.records.get(targetKey(target));
    return record && this.view(record);
  }

  async off(target: Target): Promise<boolean> {
    await this.fresh();
    const key = targetKey(target);
    this.progress.delete(key);
    return this.schedules.remove(key);
  }

  async preview(target: Target): Promise<Reply> {
    await this.fresh();
    const record = this.records.get(targetKey(target));
    const assets = this.assetsOf(record);
    const data = await fetchAssets(this.deps.market, coveredAssets(assets).covered);
    const timezone = record?.timezone ?? this.deps.config.digests.timezone;
    const { reply } = await composeDigest({ assets, timezone, at: this.deps.now(), data, previous: this.previousOf(targetKey(target)), renderChart: (input) => this.deps.renderCurveChart(input) });
    return reply;
  }

  private assetsOf(record: DigestRecord | undefined): string[] {
    return record?.assets ?? this.deps.config.watchList;
  }

  private view(record: DigestRecord): ScheduleView {
    return {
      when: record.when,
      expression: record.expression,
      timezone: record.timezone,
      assets: this.assetsOf(record),
      watchList: record.assets === undefined,
      nextRuns: nextSlots(record.expression, record.timezone, this.deps.now(), 1),
      paused: record.paused,
    };
  }

  private async pause(target: Target, reason: string): Promise<void> {
    const key = targetKey(target);
    const record = this.records.get(key);
    if (!record || record.paused) return;
    record.paused = { at: this.deps.now(), reason };
    await this.schedules.put(key, record);
    this.deps.log.info({ target: key, reason }, 'digest paused: chat unreachable');
  }

  private previousOf(key: string): DigestSnapshot | undefined {
    const at = this.progress.get(key)?.snapshotAt;
    return at === undefined ? undefined : this.slots.get(at)?.snapshot;
  }

  /** Folds a slot record into each named chat's progress. */
  private remember(slot: SlotRecord): void {
    this.slots.set(slot.at, slot);
    const advance = (key: string, sent: boolean) => {
      const progress = this.progress.get(key) ?? {};
      progress.lastSlot = Math.max(progress.lastSlot ?? -Infinity, slot.at);
      if (sent) progress.snapshotAt = Math.max(progress.snapshotAt ?? -Infinity, slot.at);
      this.progress.set(key, progress);
    };
    for (const key of slot.sent) advance(key, true);
    for (const key of slot.skipped) advance(key, false);
  }

  /** Drops slot records no chat still points at (superseded, or their chats turned digests off). */
  private async prune(): Promise<void> {
    const used = new Set<number>();
    for (const [key, progress] of this.progress) {
      if (!this.records.has(key)) continue;
      if (progress.lastSlot !== undefined) used.add(progress.lastSlot);
      if (progress.snapshotAt !== undefined) used.add(progress.snapshotAt);
    }
    for (const at of [...this.slots.keys()]) {
      if (used.has(at)) continue;
      this.slots.delete(at);
      await this.slotStore.delete(slotKey(at));
    }
  }

  private async runSlots(at: number): Promise<RunReport> {
    const report: RunReport = { queued: 0, late: 0, skipped: 0, refused: 0, assetsFetched: 0 };
    await this.schedules.sync(); // schedules set on other replicas count from this pass on
    const graceMs = this.deps.config.digests.graceMinutes * 60_000;
    const bySlot = new Map<number, { send: DigestRecord[]; skip: DigestRecord[] }>();
    const handled = (record: DigestRecord) => Math.max(this.progress.get(targetKey(record.target))?.lastSlot ?? -Infinity, record.setAt);
    for (const { record, slot } of dueSlots(this.records.values(), handled, at)) {
      const entry = bySlot.get(slot) ?? { send: [], skip: [] };
      (at - slot <= Math.max(ON_TIME_MS, graceMs) ? entry.send : entry.skip).push(record);
      bySlot.set(slot, entry);
    }
    if (bySlot.size === 0) return report;
    const assets = new Set([...bySlot.values()].flatMap(({ send }) => send.flatMap((record) => coveredAssets(this.assetsOf(record)).covered)));
    report.assetsFetched = assets.size;
    const data = assets.size ? await fetchAssets(this.deps.market, assets) : new Map();
    // One chart per distinct asset list in this pass: chats watching the same assets share it.
    const charts = new Map<string, Promise<Buffer>>();
    const renderChart: Parameters<typeof composeDigest>[0]['renderChart'] = (input) => {
      let png = charts.get(input.asset);
      if (!png) charts.set(input.asset, (png = this.deps.renderCurveChart(input)));
      return png;
    };
    for (const [slot, { send, skip }] of bySlot) {
      const late = at - slot > ON_TIME_MS ? { dueAt: slot } : undefined;
      const snapshot: DigestSnapshot = { at: slot, assets: {} };
      const composed: { record: DigestRecord; reply: Reply }[] = [];
      // Chats with the same assets, zone and previous digest get the same text: composed once.
      const digests = new Map<string, Promise<Digest>>();
      for (const record of send) {
        const key = targetKey(record.target);
        const assets = this.assetsOf(record);
        const same = JSON.stringify([assets, record.timezone, this.progress.get(key)?.snapshotAt ?? null]);
        let composing = digests.get(same);
        if (!composing) {
          composing = composeDigest({ assets, timezone: record.timezone, at: slot, data, previous: this.previousOf(key), late, renderChart });
          digests.set(same, composing);
        }
        const digest = await composing;
        Object.assign(snapshot.assets, digest.snapshot.assets);
        composed.push({ record, reply: digest.reply });
      }
      // Claimed before anything is queued: a crash after this point loses this slot's digests, never doubles them.
      const claimed = await claimSlot(this.slotStore, slot, send.map((record) => targetKey(record.target)), skip.map((record) => targetKey(record.target)), snapshot);
      const before = new Map([...claimed.send].map((key) => [key, { ...this.progress.get(key) }]));
      this.remember(claimed.record);
      const released: string[] = [];
      for (const record of skip) {
        if (!claimed.skip.has(targetKey(record.target))) continue;
        report.skipped += 1;
        this.deps.log.info({ target: targetKey(record.target), dueAt: new Date(slot).toISOString(), graceMinutes: this.deps.config.digests.graceMinutes }, 'digest skipped: missed by more than the grace period');
      }
      for (const { record, reply } of composed) {
        if (!claimed.send.has(targetKey(record.target))) continue; // another replica claimed it first
        if ((await this.enqueue(record, reply, slot, report, late !== undefined)) === 'stopped') released.push(targetKey(record.target));
      }
      // This replica may no longer push (its term ended): the next holder sends these.
      await releaseClaims(this.slotStore, slot, released);
      for (const key of released) this.progress.set(key, before.get(key)!);
    }
    await this.prune();
    return report;
  }

  /** Queues one digest; the refusal code when the outbox refused it. */
  private async enqueue(record: DigestRecord, reply: Reply, slot: number, report: RunReport, late: boolean): Promise<string | undefined> {
    const key = targetKey(record.target);
    const result = this.deps.push.enqueue(record.target, reply, { owner: this.name, id: `${key}:${slotKey(slot)}` });
    if (result.status === 'queued') {
      report.queued += 1;
      if (late) report.late += 1;
      return undefined;
    }
    report.refused += 1;
    if (result.code === 'unreachable') await this.pause(record.target, result.reason);
    this.deps.log.warn({ target: key, code: result.code, reason: result.reason }, 'digest refused by the outbox');
    return result.code;
  }
}
