/** The digest's stored and exchanged shapes. */
import type { Target } from '../core/adapter.js';
import type { Reply } from '../core/reply.js';
import type { CurveSet, MarketState } from '../market/types.js';

/** One asset's market data for a slot: fetched once, shared by every chat due in it. */
export type AssetData =
  | { asset: string; kind: 'ok'; set: CurveSet }
  /** No configured venue lists it. */
  | { asset: string; kind: 'unlisted'; suggestions: string[] }
  /** Every venue failed. */
  | { asset: string; kind: 'failed'; failures: { venue: string; error: string }[] };

export interface ContractFigure {
  symbol: string;
  annualizedRate: number;
  daysToExpiry: number;
}

/** What a digest says about one venue, kept so the next digest can say what changed. */
export interface VenueFigures {
  state: MarketState;
  stale: boolean;
  /** Nearest and next contract at least a day out (shorter ones annualize to noise). */
  front?: ContractFigure;
  next?: ContractFigure;
  /** Perp funding, annualized. */
  funding?: number;
}

export interface DigestSnapshot {
  /** The slot (or the moment of a manual digest) the figures were taken at. */
  at: number;
  assets: Record<string, Record<string, VenueFigures>>;
}

/** One chat's schedule, as stored under its target key in the `digests` namespace. */
export interface DigestRecord {
  target: Target;
  /** As the user wrote it, normalised: `08:00` or `cron:0 8 * * 1-5`. */
  when: string;
  expression: string;
  timezone: string;
  /** Undefined: the watch list at the time of each digest. */
  assets?: string[];
  setBy: string;
  /** When the schedule was set or resumed: slots before it are never sent. */
  setAt: number;
  /** Set when the outbox reported the chat unreachable; `set` clears it. */
  paused?: { at: number; reason: string };
}

/**
 * What one slot did, written once before any of its digests is queued (one store write per
 * slot, not per chat: 10,000 chats due at 08:00 cost one write). A chat's last handled slot
 * is the latest document naming it, and its previous figures are the snapshot of the latest
 * one that sent it a digest.
 */
export interface SlotRecord {
  at: number;
  /** Target keys whose digest was queued for this slot. */
  sent: string[];
  /** Target keys whose slot was missed by more than the grace period. */
  skipped: string[];
  /** Every asset fetched for the slot, by venue. */
  snapshot: DigestSnapshot;
}

/** What `/digest set` and `/digest show` restate. */
export interface ScheduleView {
  when: string;
  expression: string;
  timezone: string;
  assets: string[];
  /** True when the assets follow the watch list. */
  watchList: boolean;
  nextRuns: number[];
  paused?: { at: number; reason: string };
  /** On `set`: the pause this call lifted. */
  resumed?: { at: number; reason: string };
}

export type SetOutcome = { ok: true; view: ScheduleView } | { ok: false; error: string; hint: string };

/** Counts from one `runDue` pass. */
export interface RunReport {
  queued: number;
  late: number;
  skipped: number;
  refused: number;
  /** market.curves calls made for the pass: one per distinct asset, whatever the number of chats. */
  assetsFetched: number;
}

/** What commands/digest.ts (and the end-to-end tests) use. */
export interface DigestsApi {
  set(target: Target, text: string, setBy: string): Promise<SetOutcome>;
  show(target: Target): Promise<ScheduleView | undefined>;
  off(target: Target): Promise<boolean>;
  /** The digest this chat would get now (its schedule's assets and zone, or the defaults); changes nothing. */
  preview(target: Target): Promise<Reply>;
  /** Runs every slot due at `at` (ms): what the minute tick calls, and what tests drive. */
  runDue(at: number): Promise<RunReport>;
}
