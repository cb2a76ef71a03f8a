import { formatPercent, formatPrice } from '../basis/format.js';
import { errorReply, type Block, type Reply } from '../core/reply.js';
import { parseNotional, queryExecutableBasis, type BookSource, type ExecutableBasis, type ExecutableRow } from '../market/executable-basis.js';
import type { FeeSource } from '../market/order-books.js';
import type { CurveSet } from '../market/types.js';

const usd = (value: number): string => `$${Math.round(value).toLocaleString('en-US')}`;
const bps = (value: number): string => value.toFixed(1);
const feeBps = (rate: number): string => (rate * 10_000).toFixed(1);
const SOURCE: Record<FeeSource, string> = { config: 'from config', venue: "ccxt's market data", default: 'a default (the venue gives none)' };

const TRADE = { 'cash-and-carry': 'buy spot, sell the future', 'reverse cash-and-carry': 'sell spot, buy the future' } as const;

/** Per venue, once: the spot VWAP of each direction traded, and the fees with where they came from. */
function spotAndFees(venue: string, rows: ExecutableRow[]): string {
  const spots = [...new Map(rows.map((row) => [row.execution.direction, row.execution.spotLeg] as const)).values()].map(
    (leg) => `${leg.side === 'buy' ? 'bought' : 'sold'} at VWAP ${leg.fill.vwap === undefined ? '-' : formatPrice(leg.fill.vwap)} (mid ${formatPrice(leg.mid)}, ${bps(leg.slippageBps)} bps slippage)`,
  );
  const { execution: e, feeSources } = rows[0];
  const where = feeSources.spot === feeSources.future ? SOURCE[feeSources.spot] : `spot ${SOURCE[feeSources.spot]}, futures ${SOURCE[feeSources.future]}`;
  return `${venue} spot ${rows[0].spot} ${spots.join('; ')}. Taker fees: spot ${feeBps(e.spotLeg.feeRate)} bps, futures ${feeBps(e.futureLeg.feeRate)} bps (${where}).`;
}

/**
 * The executable-basis section of `/basis <asset> size=<notional>`: per venue, each
 * future's quoted basis beside the basis at the two VWAPs and the carry left after fees,
 * the VWAPs themselves, each leg's slippage against its mid, and whether the books held the size.
 * Kept narrow for chat: the spot leg, shared by every row, is told once under the table.
 */
export function renderExecutable(result: ExecutableBasis): Block[] {
  const blocks: Block[] = [];
  const venues = [...new Set(result.rows.map((row) => row.venue))];
  for (const venue of venues) {
    const rows = result.rows.filter((row) => row.venue === venue);
    const directions = new Set(rows.map((row) => row.execution.direction));
    const mixed = directions.size > 1;
    const trade = mixed ? 'each contract the way its basis points' : TRADE[rows[0].execution.direction];
    blocks.push({
      kind: 'table',
      title: `${venue}: ${usd(result.notional)} at taker prices, ${trade}`,
      head: ['contract', ...(mixed ? ['trade'] : []), 'fut VWAP', 'slip bps', 'fees', 'quoted', 'executable', 'net carry', 'filled'],
      align: ['left', ...(mixed ? (['left'] as const) : []), 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      rows: rows.map((row) => {
        const e = row.execution;
        return [
          row.future,
          ...(mixed ? [TRADE[e.direction]] : []),
          e.futureLeg.fill.vwap === undefined ? '-' : formatPrice(e.futureLeg.fill.vwap),
          bps(e.futureLeg.slippageBps),
          usd(e.fees),
          `${formatPercent(e.quotedAnnualized)}/yr`,
          `${formatPercent(e.executableAnnualized)}/yr`,
          `${formatPercent(e.netAnnualized)}/yr`,
          e.complete ? 'all' : usd(e.fillableNotional),
        ];
      }),
    });
    blocks.push({ kind: 'text', text: spotAndFees(venue, rows) });
  }
  for (const venue of venues) {
    const rows = result.rows.filter((row) => row.venue === venue);
    const thin = rows.filter((row) => !row.execution.complete);
    if (thin.length === 0) continue;
    const most = Math.max(...thin.map((row) => row.execution.fillableNotional));
    blocks.push({ kind: 'note', tone: 'warn', text: `${venue}: the books are too thin for ${usd(result.notional)} on ${thin.length} of ${rows.length} contracts; it could only fill about ${usd(most)} on both legs ("filled" column), and the figures are for that part.` });
  }
  for (const failure of result.failures) blocks.push({ kind: 'note', tone: 'warn', text: `${failure.venue}: order books unavailable (${failure.error}).` });
  blocks.push({
    kind: 'note',
    tone: 'info',
    text: 'Executable: the annualized basis at the VWAPs of walking each book (cash-and-carry buys spot at the asks and sells the future at the bids; reverse the opposite). Net carry: what the trade earns per year after both opening taker fees (positive = earned, either direction). Slippage against the mid of each leg, in bps (the future leg in the table, the spot leg below it). Fees: both legs, in USD.',
  });
  return blocks;
}

/** `size=`: a USD amount, or the error to show for anything else. */
export function parseSize(rawSize: string): number | { error: Reply } {
  const notional = parseNotional(rawSize);
  if (notional !== undefined && notional >= 1 && notional <= 1e10) return notional;
  const shown = rawSize.length > 20 ? `${rawSize.slice(0, 20)}…` : rawSize;
  return { error: errorReply(`size must be a USD amount from $1 to $10b, such as 250k, 1m or 1.5m, not "${shown}".`, 'Example: /basis BTC size=1m') };
}

/**
 * The whole `size=` step of /basis: parse the size, walk the books of every curve in the
 * set, render the section. An error reply for a bad size or where no book source is wired.
 */
export async function executableSection(books: BookSource | undefined, set: CurveSet, rawSize: string): Promise<{ blocks: Block[]; data: ExecutableBasis } | { error: Reply }> {
  const notional = parseSize(rawSize);
  if (typeof notional !== 'number') return notional;
  if (!books) return { error: errorReply('size= needs order books, which are not enabled here.') };
  const data = await queryExecutableBasis(books, set, notional);
  return { blocks: renderExecutable(data), data };
}
