import { formatPercent, formatPrice } from '../basis/format.js';
import { errorReply, type Block, type Reply } from '../core/reply.js';
import { parseNotional, queryExecutableBasis, type BookSource, type ExecutableBasis } from '../market/executable-basis.js';
import type { CurveSet } from '../market/types.js';

const usd = (value: number): string => `$${Math.round(value).toLocaleString('en-US')}`;
const bps = (value: number): string => `${value.toFixed(1)}`;

/**
 * The executable-basis section of `/basis <asset> size=<notional>`: per venue, each
 * future's quoted basis, the basis at the two VWAPs, the carry left after fees,
 * the slippage of each leg against its mid, and whether the books held the size.
 */
export function renderExecutable(result: ExecutableBasis): Block[] {
  const blocks: Block[] = [];
  const venues = [...new Set(result.rows.map((row) => row.venue))];
  for (const venue of venues) {
    const rows = result.rows.filter((row) => row.venue === venue);
    blocks.push({
      kind: 'table',
      title: `${venue}: ${usd(result.notional)} executed at taker prices`,
      head: ['contract', 'trade', 'quoted', 'executable', 'net of fees', 'slip spot/fut bps', 'fees', 'filled'],
      align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
      rows: rows.map(({ future, execution: e }) => [
        future,
        e.direction === 'cash-and-carry' ? 'buy spot, sell fut' : 'sell spot, buy fut',
        `${formatPercent(e.quotedAnnualized)}/yr`,
        `${formatPercent(e.executableAnnualized)}/yr`,
        `${formatPercent(e.netAnnualized)}/yr`,
        `${bps(e.spotLeg.slippageBps)}/${bps(e.futureLeg.slippageBps)}`,
        usd(e.fees),
        e.complete ? 'all' : usd(e.fillableNotional),
      ]),
    });
    const spotVwap = rows[0]?.execution.spotLeg.fill.vwap;
    if (spotVwap !== undefined) blocks.push({ kind: 'text', text: `${venue} spot VWAP ${formatPrice(spotVwap)} (${rows[0].spot}, mid ${formatPrice(rows[0].execution.spotLeg.mid)}).` });
  }
  for (const venue of venues) {
    const rows = result.rows.filter((row) => row.venue === venue);
    const thin = rows.filter((row) => !row.execution.complete);
    if (thin.length === 0) continue;
    const most = Math.max(...thin.map((row) => row.execution.fillableNotional));
    blocks.push({ kind: 'note', tone: 'warn', text: `${venue}: the books are too thin for ${usd(result.notional)} on ${thin.length} of ${rows.length} contracts; at most about ${usd(most)} fills on both legs ("filled" column).` });
  }
  for (const failure of result.failures) blocks.push({ kind: 'note', tone: 'warn', text: `${failure.venue}: order books unavailable (${failure.error}).` });
  blocks.push({
    kind: 'note',
    tone: 'info',
    text: 'Executable: the annualized basis at the VWAPs of walking each book (cash-and-carry buys spot at the asks and sells the future at the bids; reverse the opposite). Net: the carry earned after both taker fees. Slippage against each mid, in bps.',
  });
  return blocks;
}

/**
 * The whole `size=` step of /basis: parse the size, walk the books of every curve in the
 * set, render the section. An error reply for a bad size or where no book source is wired.
 */
export async function executableSection(books: BookSource | undefined, set: CurveSet, rawSize: string): Promise<{ blocks: Block[]; data: ExecutableBasis } | { error: Reply }> {
  const notional = parseNotional(rawSize);
  if (notional === undefined) return { error: errorReply(`size must be a USD amount such as 250k or 1m, not "${rawSize}".`, 'Example: /basis BTC size=1m') };
  if (!books) return { error: errorReply('size= needs order books, which are not enabled here.') };
  const data = await queryExecutableBasis(books, set, notional);
  return { blocks: renderExecutable(data), data };
}
