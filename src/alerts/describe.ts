/**
 * Rules and crossings in plain words: the add reply, the list, and the pushed message all say a
 * rule the same way.
 */
import { explainState, summarizeCurves } from '../basis/explain.js';
import { formatPercent } from '../basis/format.js';
import type { Reply } from '../core/reply.js';
import type { CurveSet } from '../market/types.js';
import type { SeriesPoint } from './metrics.js';
import type { AlertRecord, Metric, RuleSpec } from './types.js';

const METRIC_WORDS: Record<Metric, string> = {
  apr: 'annualized basis',
  basis: 'basis rate',
  funding: 'annualized perp funding',
  spread: 'spread between the highest and lowest venue',
  state: 'market state',
};

/** `2h`, `30m`, `1d 6h`: how a cooldown reads back. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % (24 * 60) === 0) return `${minutes / (24 * 60)}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

function tenorWords(spec: RuleSpec): string {
  if (!spec.tenor || spec.metric === 'funding') return '';
  if (spec.tenor === 'perp') return ' of the perp funding';
  if (spec.tenor === 'front') return ' of the front contract';
  if (spec.tenor === 'next') return ' of the next contract';
  return ` of the contract expiring ${spec.tenor}`;
}

/** "SOL annualized basis of the front contract above +0.00% on any venue". */
export function describeRule(spec: RuleSpec): string {
  const where = spec.metric === 'spread' ? '' : spec.venue ? ` on ${spec.venue}` : ' on any venue';
  if (spec.metric === 'state') return `${spec.asset} market state flips between contango and backwardation${where}`;
  const threshold = formatPercent(spec.threshold ?? 0);
  const direction = spec.direction === 'crosses' ? 'crosses' : `goes ${spec.direction}`;
  return `${spec.asset} ${METRIC_WORDS[spec.metric]}${tenorWords(spec)} ${direction} ${threshold}${where}`;
}

/** The options that differ from nothing: cooldown, band, delivery (the console has one chat: no DM to name). */
export function describeOptions(spec: RuleSpec, target?: { platform: string }): string {
  const parts = [`cooldown ${formatDuration(spec.cooldownMs)}`];
  if (spec.metric !== 'state') parts.push(`band ${formatPercent(spec.band).replace('+', '')}`);
  if (target?.platform === 'console') parts.push('printed in this console');
  else parts.push(spec.here ? 'posted in this chat' : 'sent by direct message');
  return parts.join(', ');
}

/** One point in words: "binance SOL/USD:SOL-261225 -12.60%" or "okx: backwardation". */
export function describePoint(point: SeriesPoint): string {
  if (point.state !== undefined) return `${point.key}: ${point.state}`;
  const venue = point.key === '*' ? '' : `${point.key} `;
  return `${venue}${point.contract} ${formatPercent(point.value)}`;
}

/** The first sentence of explain.ts's state paragraph: what the market is doing, in one line. */
export function marketSentence(set: CurveSet): string {
  if (set.curves.length === 0) return '';
  const paragraph = explainState(summarizeCurves(set.curves))[0] ?? '';
  const end = paragraph.indexOf('. ');
  return end === -1 ? paragraph : paragraph.slice(0, end + 1);
}

/** Pause and Remove buttons: command lines the adapters run as the clicking user. */
export function ruleActions(id: number): Reply['actions'] {
  return [
    { id: `/alert pause ${id}`, label: 'Pause' },
    { id: `/alert remove ${id}`, label: 'Remove' },
  ];
}

/** The pushed message for one crossing: every venue that crossed on this tick, in one message. */
export function crossingReply(rule: AlertRecord, points: readonly SeriesPoint[], set: CurveSet, at: number): Reply {
  const { spec } = rule;
  const what = spec.metric === 'state' ? 'flipped' : spec.direction === 'crosses' ? 'crossed' : `went ${spec.direction}`;
  const venues = points.map((p) => (p.key === '*' ? 'across venues' : p.key)).join(', ');
  const blocks: Reply['blocks'] = [
    { kind: 'text', text: `Alert #${rule.id}: ${describeRule(spec)}. It ${what} on ${venues}.` },
    {
      kind: 'fields',
      fields: [
        ...points.map((p) => ({ label: p.key === '*' ? 'spread' : p.key, value: p.state ?? `${formatPercent(p.value)} (${p.contract})` })),
        ...(spec.metric === 'state' ? [] : [{ label: 'threshold', value: formatPercent(spec.threshold ?? 0) }]),
        { label: 'time', value: `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC` },
      ],
    },
  ];
  const sentence = marketSentence(set);
  if (sentence) blocks.push({ kind: 'text', text: sentence });
  return { title: `${spec.asset} alert #${rule.id}`, tone: 'neutral', blocks, actions: ruleActions(rule.id) };
}

/** The last message of a rule on a dated contract that expired. */
export function retiredReply(rule: AlertRecord): Reply {
  return {
    title: `${rule.spec.asset} alert #${rule.id} retired`,
    tone: 'neutral',
    blocks: [
      { kind: 'text', text: `Alert #${rule.id} (${describeRule(rule.spec)}) is retired: the contract expired.` },
      { kind: 'note', tone: 'info', text: `To keep watching, add it again on front or next: /alert add ${rule.spec.asset} ${rule.spec.metric} … front` },
    ],
  };
}
