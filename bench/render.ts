import { performance } from 'node:perf_hooks';
import { CONSOLE_CALLER } from '../src/adapters/console/session.js';
import type { Reply } from '../src/core/reply.js';
import { renderCurveChart } from '../src/render/chart.js';
import { renderForConsole } from '../src/render/console.js';
import { displayWidth, measuredCodeUnits, segmentedWidth } from '../src/render/table.js';
import { startReplayApp } from '../test/helpers/replay-app.js';
import { percentile, ratio, round, type BenchRow } from './stats.js';

const SMALL = 25_000;
const LARGE = 400_000;

/** Median wall time of `runs` calls after one warm-up call, in ms. */
async function medianMs(runs: number, work: () => unknown): Promise<number> {
  await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return percentile(samples, 50);
}

/**
 * Linearity as a ratio of times: 16x the input should take about 16x the time (quadratic
 * would be 256x). The 25 KB time is the row's baseline. 25 KB stays in the CPU caches and
 * 400 KB does not, which alone lifts that ratio above 16x, so the ratio of the last
 * doubling (200 KB to 400 KB, linear = 2x) is printed beside it.
 */
async function linearityRow(scenario: string, work: (size: number) => unknown): Promise<BenchRow> {
  const small = await medianMs(9, () => work(SMALL));
  const half = await medianMs(9, () => work(LARGE / 2));
  const large = await medianMs(9, () => work(LARGE));
  return {
    scenario,
    metric: 'ms at 400 KB (baseline: at 25 KB); linear = ~16x',
    value: round(large, 1),
    baseline: round(small, 2),
    ratio: `${ratio(large, small)} (200 KB to 400 KB: ${ratio(large, half)})`,
  };
}

/** Cells as replies hold them: mostly ASCII numbers, some with arrows, dots and CJK. */
function tableCells(count: number, ascii: boolean): string[] {
  const plain = ['BTC/USDT:USDT-261225', '+12.3%', '65,000.5', 'binance', '42 d', 'mid'];
  const wide = ['+12.3% → either', 'as of 04:40 · okx', '比特币 perp', 'Ünïcode', '–', '▲ contango'];
  return Array.from({ length: count }, (_, i) => (ascii ? plain : wide)[i % 6]);
}

function widthRow(scenario: string, cells: string[]): Promise<BenchRow> {
  return (async () => {
    const fast = await medianMs(5, () => cells.reduce((sum, cell) => sum + displayWidth(cell), 0));
    const segmenter = await medianMs(5, () => cells.reduce((sum, cell) => sum + segmentedWidth(cell), 0));
    return { scenario, metric: `ms for ${cells.length.toLocaleString('en-US')} cells (baseline: Intl.Segmenter on every cell)`, value: round(fast, 2), baseline: round(segmenter, 1), ratio: ratio(fast, segmenter) };
  })();
}

/**
 * `/curve BTC` through the real dispatcher on warm quotes (a fixed clock, so they never
 * expire): the PNG cached per quote refresh, against the same call with the cache defeated
 * by a new drawing function each time (what every call cost before: a full redraw).
 */
async function curveRow(): Promise<BenchRow> {
  const at = Date.parse('2026-12-02T04:00:00Z');
  const replay = await startReplayApp({ server: { clock: () => at }, env: { VENUE_TIMEOUT_MS: '8000' } });
  try {
    const ask = async (): Promise<void> => {
      const result = await replay.app.dispatcher.handleText('/curve BTC', CONSOLE_CALLER);
      if (!result?.ok || !result.reply.image) throw new Error('/curve BTC gave no chart');
    };
    const stable = (input: Parameters<typeof renderCurveChart>[0]): Promise<Buffer> => renderCurveChart(input);
    replay.app.services.renderCurveChart = stable;
    const cached = await medianMs(15, ask);
    const redraw = await medianMs(15, async () => {
      replay.app.services.renderCurveChart = (input) => renderCurveChart(input);
      await ask();
    });
    return { scenario: '/curve BTC, warm quotes', metric: 'ms per call, PNG cached per quote refresh (baseline: redrawn every call)', value: round(cached, 2), baseline: round(redraw, 1), ratio: ratio(cached, redraw) };
  } finally {
    await replay.close();
  }
}

/**
 * `/status` with a long argument, as piped into `demo`: dispatch (the line is refused at its
 * length cap before parsing) and console render. Bounded, so better than linear.
 */
async function statusRow(): Promise<BenchRow> {
  const replay = await startReplayApp({ env: { VENUE_TIMEOUT_MS: '8000' } });
  try {
    return await linearityRow('/status <input> into demo, dispatch + console render', async (size) => {
      const result = await replay.app.dispatcher.handleText(`/status ${'x'.repeat(size)}`, CONSOLE_CALLER);
      if (result) renderForConsole(result.reply);
    });
  } finally {
    await replay.close();
  }
}

/** The same linearity counted instead of timed: code units displayWidth examines (no clock noise). */
function workRow(scenario: string, reply: (size: number) => Reply): BenchRow {
  const work = (size: number): number => {
    const before = measuredCodeUnits();
    renderForConsole(reply(size));
    return measuredCodeUnits() - before;
  };
  const small = work(SMALL);
  const large = work(LARGE);
  return { scenario, metric: 'code units measured at 400 KB (baseline: at 25 KB); linear = 16x', value: large, baseline: small, ratio: ratio(large, small) };
}

const wordReply = (unit: string) => (size: number): Reply => ({ title: 'long word', blocks: [{ kind: 'text', text: unit.repeat(size / unit.length) }, { kind: 'note', tone: 'warn', text: unit.repeat(size / unit.length) }] });

/** Rendering: linear console text, displayWidth's fast paths, and /curve's PNG cache. */
export async function benchRendering(): Promise<BenchRow[]> {
  const ascii = wordReply('x');
  const accented = wordReply('é');
  const words = (size: number): Reply => ({ blocks: [{ kind: 'text', text: 'basis → 比 '.repeat(size / 10) }] });
  return [
    await linearityRow('console render, one long ASCII word (text + note)', (size) => renderForConsole(ascii(size))),
    await linearityRow('console render, one long word of "é" (text + note)', (size) => renderForConsole(accented(size))),
    await linearityRow('console render, many short mixed words', (size) => renderForConsole(words(size))),
    workRow('console render, many short mixed words', words),
    await statusRow(),
    await widthRow('displayWidth, ASCII table cells', tableCells(100_000, true)),
    await widthRow('displayWidth, non-ASCII cells (→ · 比 Ü)', tableCells(100_000, false)),
    await curveRow(),
  ];
}
