/**
 * The alert model shared by the parser, the evaluator, the store and the command. Rates are
 * fractions everywhere inside (0.01 = 1%), as in the rest of basisbot; only the parser and the
 * messages speak percent.
 */
import type { Target } from '../core/adapter.js';
import type { Platform } from '../core/command.js';
import type { Reply } from '../core/reply.js';
import type { MarketState, VenueId } from '../market/types.js';

export const METRICS = ['apr', 'basis', 'funding', 'spread', 'state'] as const;
export type Metric = (typeof METRICS)[number];

export const DIRECTIONS = ['above', 'below', 'crosses'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** `perp`, the nearest (`front`) or second (`next`) dated contract, or one expiry `YYYY-MM-DD`. */
export type Tenor = 'perp' | 'front' | 'next' | `${number}-${number}-${number}`;

/** What the user asked for, validated. */
export interface RuleSpec {
  asset: string;
  metric: Metric;
  /** Absent for `state`, which fires on a flip and has no threshold. */
  direction?: Direction;
  /** Fraction (0.05 = 5%). */
  threshold?: number;
  /** Absent: any venue counts, each tracked on its own. */
  venue?: VenueId;
  /** Absent for `state`; `perp` for funding. */
  tenor?: Tenor;
  cooldownMs: number;
  /** Hysteresis, fraction: how far back past the threshold the value must go to re-arm. */
  band: number;
  /** Post into the chat the rule was made in, instead of a DM. */
  here: boolean;
}

/** Who owns a rule: user identity is platform + user id. */
export interface Owner {
  platform: Platform;
  userId: string;
}

export const ownerKey = (owner: Owner): string => `${owner.platform}:${owner.userId}`;

/**
 * Hysteresis memory of one venue (or of the whole rule, for spread): `from` is the side a
 * crossing fires from (armed); undefined means fired and not re-armed yet. For `state`, the last
 * definite state (contango or backwardation) the curve was in.
 */
export interface Track {
  from?: 'below' | 'above';
  state?: Extract<MarketState, 'contango' | 'backwardation'>;
}

/** A crossing recorded before it is handed to the outbox, removed when the platform took it. */
export interface PendingCrossing {
  /** `<ruleId>:<seq>`: stable, so a re-enqueue after a crash is recognised by the outbox. */
  id: string;
  at: number;
  reply: Reply;
}

export type RuleStatus = 'active' | 'paused' | 'unreachable' | 'retired';

/** One stored rule: the spec, where it goes, and everything the evaluator remembers. */
export interface AlertRecord {
  id: number;
  owner: Owner;
  target: Target;
  spec: RuleSpec;
  createdAt: number;
  status: RuleStatus;
  /** Per venue key (`binance`…, or `*` for spread). */
  tracks: Record<string, Track>;
  lastFiredAt?: number;
  /** Crossings sent so far; the next crossing id is `<id>:<seq + 1>`. */
  seq: number;
  /** Expiry (ms) of a dated-contract rule: it retires then. */
  expiresAt?: number;
  pending: PendingCrossing[];
}

/** The key under which the evaluator finds the values a rule reads, per asset. */
export function seriesKey(spec: Pick<RuleSpec, 'metric' | 'tenor'>): string {
  return `${spec.metric}|${spec.tenor ?? ''}`;
}
