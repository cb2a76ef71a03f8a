import { ConfigError } from '../../config.js';
import { SUPPORTED_VENUES, type VenueId } from '../types.js';

/**
 * Ways a venue can misbehave, injected per venue into the replay so tests and
 * benchmarks exercise the same failure paths a real outage would.
 */
export type VenueFault =
  | { kind: 'down' } // 503 on every request
  | { kind: 'hang' } // accept the request, never answer
  | { kind: 'html' } // 200 with an HTML error page (a CDN or maintenance page)
  | { kind: 'malformed' } // 200 with truncated JSON
  | { kind: 'stale'; ageMs: number } // valid answers whose quotes are ageMs old
  | { kind: 'slow'; delayMs: number }; // valid answers after a delay

export type FaultTable = Partial<Record<VenueId, VenueFault>>;

const KINDS = ['down', 'hang', 'html', 'malformed', 'stale', 'slow'] as const;
type Kind = (typeof KINDS)[number];
const TIMED: readonly string[] = ['stale', 'slow'];
/** The longest delay or age a fault may carry: below Node's 2^31-1 ms timer limit. */
const MAX_FAULT_MS = 24 * 3600 * 1000;

/**
 * A fault list that cannot be parsed. A ConfigError, so every entry point (the CLI's
 * --faults, REPLAY_FAULTS read at start) prints it as one line and exits 2.
 */
export class FaultSpecError extends ConfigError {}

const VALID = `use venue=kind[:ms] with venue one of ${SUPPORTED_VENUES.join(', ')} and kind one of ${KINDS.join(', ')} (stale and slow take milliseconds, e.g. okx=down,bybit=slow:5000)`;

/**
 * Parses `okx=down,binance=stale:600000,bybit=slow:5000` (the CLI and env form). `source`
 * names where the text came from (the flag or the variable) in the error.
 */
export function parseFaultList(text: string, source = 'REPLAY_FAULTS'): FaultTable {
  const table: FaultTable = {};
  const fail = (part: string, problem: string): never => {
    throw new FaultSpecError(`${source}: ${problem} in "${part.slice(0, 60)}"; ${VALID}`);
  };
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const match = /^([^=:]+)=([^=:]+)(?::(.*))?$/.exec(part);
    if (!match) fail(part, 'expected venue=kind');
    const [, rawVenue, rawKind, amount] = match!;
    const venue = rawVenue.trim().toLowerCase();
    const kind = rawKind.trim().toLowerCase();
    if (!SUPPORTED_VENUES.includes(venue as VenueId)) fail(part, `unknown venue "${venue}"`);
    if (!KINDS.includes(kind as Kind)) fail(part, `unknown fault "${kind}"`);
    if (amount !== undefined && !TIMED.includes(kind)) fail(part, `${kind} takes no amount`);
    const ms = amount === undefined ? (kind === 'stale' ? 600_000 : 5_000) : /^\d+$/.test(amount) ? Number(amount) : NaN;
    if (TIMED.includes(kind) && !(ms >= 0 && ms <= MAX_FAULT_MS)) fail(part, `the amount must be whole milliseconds 0-${MAX_FAULT_MS}`);
    const fault: VenueFault = kind === 'stale' ? { kind, ageMs: ms } : kind === 'slow' ? { kind, delayMs: ms } : { kind: kind as 'down' };
    table[venue as VenueId] = fault;
  }
  return table;
}
