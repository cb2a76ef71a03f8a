/** Shared by every scenario: one row of the printed table. */
export interface BenchRow {
  scenario: string;
  metric: string;
  value: number | string;
  baseline?: number | string;
  /** value ÷ baseline, or a sentence where a ratio does not apply. */
  ratio?: number | string;
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const median = (samples: number[]): number => percentile(samples, 50);

/** A share as a percentage string ("96.1%"), or 'n/a'. */
export function percent(part: number, whole: number): string {
  return Number.isFinite(part) && Number.isFinite(whole) && whole > 0 ? `${round((100 * part) / whole, 1)}%` : 'n/a';
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

export function ratio(value: number, baseline: number): string {
  if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return 'n/a';
  const r = value / baseline;
  return r >= 1 ? `${round(r, 2)}x` : `1/${round(1 / r, 1)}x`;
}

/** A Markdown table: readable in a terminal and in bench/RESULTS.md alike. */
export function markdownTable(rows: BenchRow[]): string {
  const head = ['scenario', 'metric', 'basisbot', 'naive baseline', 'ratio'];
  const cells = rows.map((row) => [row.scenario, row.metric, String(row.value), String(row.baseline ?? ''), String(row.ratio ?? '')]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.map(line)].join('\n');
}
