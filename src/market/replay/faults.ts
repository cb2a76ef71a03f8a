import type { VenueId } from '../types.js';

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

/** Parses `okx=down,binance=stale:600000,bybit=slow:5000` (the CLI and env form). */
export function parseFaultList(text: string): FaultTable {
  const table: FaultTable = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [venue, spec = ''] = part.split('=');
    const [kind, amount] = spec.split(':');
    if (!KINDS.includes(kind as (typeof KINDS)[number])) {
      throw new Error(`unknown fault "${spec}" for ${venue}; use one of ${KINDS.join(', ')}`);
    }
    const ms = Number(amount ?? (kind === 'stale' ? 600_000 : 5_000));
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`fault ${part}: the amount must be milliseconds`);
    const fault: VenueFault =
      kind === 'stale' ? { kind, ageMs: ms } : kind === 'slow' ? { kind, delayMs: ms } : { kind: kind as 'down' };
    table[venue as VenueId] = fault;
  }
  return table;
}
