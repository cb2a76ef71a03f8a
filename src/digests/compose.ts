/**
 * composeDigest: the one place a digest is written, for `/digest now` and the scheduled post.
 * It takes data already fetched (one fetch per slot, shared by every chat due in it) and the
 * chat's previous snapshot, and returns the reply and the snapshot to keep for next time.
 */
import { summarizeCurves, type StateSummary } from '../basis/explain.js';
import { formatPercent } from '../basis/format.js';
import { meaningfulPoints } from '../basis/state.js';
import { toneForState } from '../core/market-query.js';
import type { Block, Reply } from '../core/reply.js';
import type { CurveChartInput } from '../core/services.js';
import type { CurveSet, VenueCurve } from '../market/types.js';
import { chartSeries } from '../../commands/curve.js';
import { readingSentences } from './reading.js';
import { MAX_ASSETS } from './schedule-spec.js';
import type { AssetData, ContractFigure, DigestSnapshot, VenueFigures } from './types.js';
import { formatDateInZone, formatInZone } from './zones.js';

export interface DigestParams {
  assets: string[];
  timezone: string;
  /** The slot (or the moment of a manual digest): the title's date, in the chat's zone. */
  at: number;
  data: ReadonlyMap<string, AssetData>;
  previous?: DigestSnapshot;
  /** Set when the digest goes out after its slot (the bot was down then). */
  late?: { dueAt: number };
  /** Draws the chart; callers share one drawing between chats with the same assets. */
  renderChart?: (input: CurveChartInput) => Promise<Buffer>;
}

export interface Digest {
  reply: Reply;
  snapshot: DigestSnapshot;
}

const MAX_ERROR_TEXT = 80;

/**
 * Thousands of chats due in one slot share the same CurveSets and, mostly, the same previous
 * snapshot: the per-asset work (summary, table, moves) is done once per (set, previous) pair
 * and shared. Weak keys, so nothing outlives the slot's data.
 */
const summaries = new WeakMap<CurveSet, StateSummary>();
const tables = new WeakMap<CurveSet, Map<DigestSnapshot | undefined, AssetTable>>();

function summaryOf(set: CurveSet): StateSummary {
  let summary = summaries.get(set);
  if (!summary) summaries.set(set, (summary = summarizeCurves(set.curves)));
  return summary;
}

function tableOf(set: CurveSet, previous: DigestSnapshot | undefined, state: string): AssetTable {
  let byPrevious = tables.get(set);
  if (!byPrevious) tables.set(set, (byPrevious = new Map()));
  let table = byPrevious.get(previous);
  if (!table) byPrevious.set(previous, (table = assetTable(set.asset, set.curves, previous, state)));
  return table;
}

/**
 * A venue's figures. Front and next are the two nearest *expiries*: a venue listing a linear
 * and an inverse contract on the same date would otherwise show one expiry twice.
 */
export function figuresOf(curve: VenueCurve): VenueFigures {
  const seen = new Set<string>();
  const byExpiry = meaningfulPoints(curve.futures).filter((future) => !seen.has(future.expiry) && seen.add(future.expiry));
  const [front, next] = byExpiry.map(({ symbol, annualizedRate, daysToExpiry }): ContractFigure => ({ symbol, annualizedRate, daysToExpiry }));
  return { state: curve.state, stale: curve.stale, front, next, funding: curve.perp?.funding?.annualizedRate };
}

interface Move {
  asset: string;
  venue: string;
  what: string;
  to: number;
  delta: number;
}

/** Change of one figure since the previous digest; a rolled contract (new symbol) is not a change. */
function contractDelta(now?: ContractFigure, before?: ContractFigure): number | undefined {
  return now && before && now.symbol === before.symbol ? now.annualizedRate - before.annualizedRate : undefined;
}

const pp = (delta: number) => formatPercent(delta).replace('%', 'pp');
const cell = (value: number | undefined, delta: number | undefined, compare: boolean) =>
  value === undefined ? '-' : `${formatPercent(value)}${compare ? (delta === undefined ? ' (new)' : ` (${pp(delta)})`) : ''}`;

interface AssetTable {
  block: Block;
  moves: Move[];
  figures: Record<string, VenueFigures>;
}

/** The per-venue table of one asset, and every move it shows against the previous digest. */
function assetTable(asset: string, curves: VenueCurve[], previous: DigestSnapshot | undefined, state: string): AssetTable {
  const moves: Move[] = [];
  const figures: Record<string, VenueFigures> = {};
  const rows = curves.map((curve) => {
    const now = figuresOf(curve);
    figures[curve.venue] = now;
    const before = previous?.assets[asset]?.[curve.venue];
    const compare = previous !== undefined;
    const front = contractDelta(now.front, before?.front);
    const next = contractDelta(now.next, before?.next);
    const funding = now.funding !== undefined && before?.funding !== undefined ? now.funding - before.funding : undefined;
    const changes = [['front basis', now.front?.annualizedRate, front], ['next basis', now.next?.annualizedRate, next], ['funding', now.funding, funding]] as const;
    for (const [what, to, delta] of changes) {
      if (delta !== undefined && to !== undefined) moves.push({ asset, venue: curve.venue, what, to, delta });
    }
    return [curve.venue, curve.state + (now.stale ? ' (stale)' : ''), cell(now.front?.annualizedRate, front, compare), cell(now.next?.annualizedRate, next, compare), cell(now.funding, funding, compare)];
  });
  const block: Block = { kind: 'table', title: `${asset}: ${state}`, head: ['Venue', 'State', 'Front', 'Next', 'Funding'], rows, align: ['left', 'left', 'right', 'right', 'right'] };
  return { block, moves, figures };
}

/** The line under the tables: the largest move since last time, or the most extreme basis on a first digest. */
function moverLine(moves: Move[], previous: DigestSnapshot | undefined, timezone: string, fronts: Move[]): string {
  if (!previous) {
    const extreme = fronts.sort((a, b) => Math.abs(b.to) - Math.abs(a.to))[0];
    return extreme ? `Most extreme front basis: ${extreme.asset} ${formatPercent(extreme.to)} a year on ${extreme.venue}.` : '';
  }
  const since = formatInZone(previous.at, timezone);
  const largest = [...moves].sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))[0];
  if (!largest) return `No figure is comparable with the previous digest (${since}).`;
  return `Largest move since the previous digest (${since}): ${largest.asset} ${largest.what} on ${largest.venue}, ${pp(largest.delta)} to ${formatPercent(largest.to)}.`;
}

/** Failed venues and unlisted assets, grouped so four assets failing on one venue read as one line. */
function problemNotes(assets: string[], data: ReadonlyMap<string, AssetData>): Block[] {
  const byVenue = new Map<string, { error: string; assets: string[] }>();
  const unlisted: string[] = [];
  const dead: string[] = [];
  for (const asset of assets) {
    const entry = data.get(asset);
    if (!entry || entry.kind === 'failed') dead.push(asset);
    if (entry?.kind === 'unlisted') unlisted.push(entry.suggestions.length ? `${asset} (did you mean ${entry.suggestions.slice(0, 2).join(', ')}?)` : asset);
    const failures = entry?.kind === 'ok' ? entry.set.failures : entry?.kind === 'failed' ? entry.failures : [];
    for (const failure of failures) {
      const group = byVenue.get(failure.venue) ?? { error: failure.error.slice(0, MAX_ERROR_TEXT), assets: [] };
      group.assets.push(asset);
      byVenue.set(failure.venue, group);
    }
  }
  const notes: Block[] = [...byVenue].map(([venue, group]) => ({ kind: 'note', tone: 'warn', text: `${venue} did not answer for ${group.assets.join(', ')}: ${group.error}` }));
  if (dead.length) notes.push({ kind: 'note', tone: 'warn', text: `No venue answered for ${dead.join(', ')}.` });
  if (unlisted.length) notes.push({ kind: 'note', tone: 'warn', text: `Not listed on any venue: ${unlisted.join(', ')}.` });
  return notes;
}

/** One line per asset on the chart: its deepest curve (most contracts), labelled `<ASSET> <venue>`. */
export function digestChartSeries(sets: { asset: string; curves: VenueCurve[] }[]): CurveChartInput['series'] {
  return sets.flatMap(({ asset, curves }) => {
    const deepest = [...curves].sort((a, b) => b.futures.length - a.futures.length)[0];
    return deepest ? chartSeries([deepest]).map((series) => ({ ...series, venue: `${asset} ${series.venue}` })) : [];
  });
}

/**
 * The assets a digest covers: at most MAX_ASSETS, as `/digest set` allows. A longer watch list
 * would not fit one photo and a message or two, nor read as one chart; the rest are named.
 */
export function coveredAssets(assets: readonly string[]): { covered: string[]; left: string[] } {
  return { covered: assets.slice(0, MAX_ASSETS), left: assets.slice(MAX_ASSETS) };
}

export async function composeDigest(params: DigestParams): Promise<Digest> {
  const { timezone, at, data, previous } = params;
  const { covered: assets, left } = coveredAssets(params.assets);
  const snapshot: DigestSnapshot = { at, assets: {} };
  const blocks: Block[] = [];
  if (params.late) {
    blocks.push({ kind: 'note', tone: 'warn', text: `Late: this digest was due at ${formatInZone(params.late.dueAt, timezone)}, while the bot was down. Figures are as of now.` });
  }
  if (!previous) blocks.push({ kind: 'note', tone: 'info', text: 'First digest for this chat: there is no earlier one to compare with.' });
  const moves: Move[] = [];
  const fronts: Move[] = [];
  const summaries: StateSummary[] = [];
  const states = new Set<string>();
  const charted: { asset: string; curves: VenueCurve[] }[] = [];
  for (const asset of assets) {
    const entry = data.get(asset);
    if (entry?.kind !== 'ok' || entry.set.curves.length === 0) continue;
    const summary = summaryOf(entry.set);
    states.add(summary.state);
    const table = tableOf(entry.set, previous, summary.state);
    blocks.push(table.block);
    moves.push(...table.moves);
    for (const [venue, figures] of Object.entries(table.figures)) if (figures.front) fronts.push({ asset, venue, what: 'front basis', to: figures.front.annualizedRate, delta: 0 });
    snapshot.assets[asset] = table.figures;
    summaries.push(summary);
    charted.push({ asset, curves: entry.set.curves });
  }
  const mover = moverLine(moves, previous, timezone, fronts);
  const reading = [mover, ...readingSentences(summaries)].filter(Boolean).join(' ');
  if (reading) blocks.push({ kind: 'text', text: reading });
  blocks.push(...problemNotes(assets, data));
  if (left.length) blocks.push({ kind: 'note', tone: 'info', text: `Left out: ${left.join(', ')} (a digest covers at most ${MAX_ASSETS} assets; /digest set can name the ones to cover).` });
  blocks.push({ kind: 'note', tone: 'info', text: `Front/Next: annualized basis of the two nearest contracts at least a day out; Funding: perp funding annualized${previous ? '; (pp): change since the previous digest' : ''}. Details: /basis <asset>.` });
  const series = digestChartSeries(charted);
  const label = charted.map((entry) => entry.asset).join(', ');
  // A chart that fails to draw costs the picture, not the digest.
  const png = series.length && params.renderChart ? await params.renderChart({ asset: label, asOf: new Date(at).toISOString(), series }).catch(() => undefined) : undefined;
  const reply: Reply = {
    title: `Basis digest, ${formatDateInZone(at, timezone)}`,
    tone: states.size === 1 ? toneForState([...states][0] as VenueCurve['state']) : 'neutral',
    blocks,
    ...(png ? { image: { name: 'digest-curves.png', png, alt: `Term structure: ${series.map((entry) => entry.venue).join(', ')}` } } : {}),
  };
  return { reply, snapshot };
}
