/**
 * The /history chart as a PNG: per venue, the 30-day constant-maturity annualized basis
 * (solid) and the perp's funding annualized (dashed, same colour), by day over the window.
 * Same canvas and look as the term-structure chart (chart.ts); x is days before today.
 */
import { createCanvas } from '@napi-rs/canvas';
import { Chart, type ChartConfiguration } from 'chart.js';
import { CHART_HEIGHT, CHART_WIDTH, ensureRegistered, venueColour } from './chart.js';

export interface HistoryChartSeries {
  venue: string;
  /** `daysAgo` ≤ 0 (today is 0); rates are fractions per year. */
  basis: { daysAgo: number; annualized: number }[];
  funding: { daysAgo: number; annualized: number }[];
}

export interface HistoryChartInput {
  asset: string;
  windowLabel: string;
  asOf: string;
  series: HistoryChartSeries[];
}

function dataset(label: string, colour: string, points: { daysAgo: number; annualized: number }[], dashed: boolean) {
  return {
    label,
    data: points.filter((p) => Number.isFinite(p.annualized)).map((p) => ({ x: p.daysAgo, y: p.annualized * 100 })),
    borderColor: colour,
    backgroundColor: colour,
    borderWidth: dashed ? 1.5 : 2.5,
    borderDash: dashed ? [6, 4] : [],
    pointRadius: 0,
    tension: 0,
  };
}

function config(input: HistoryChartInput): ChartConfiguration<'line', { x: number; y: number }[]> {
  const datasets = input.series.flatMap((entry, index) => {
    // The term-structure chart's palette, so a venue reads the same in every chart.
    const colour = venueColour(entry.venue, index);
    return [dataset(`${entry.venue} 30d basis`, colour, entry.basis, false), dataset(`${entry.venue} funding`, colour, entry.funding, true)].filter((set) => set.data.length > 0);
  });
  return {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      scales: {
        x: { type: 'linear', max: 0, title: { display: true, text: 'days before today' }, ticks: { precision: 0 } },
        y: { type: 'linear', grace: '10%', title: { display: true, text: 'annualized (%/yr)' }, ticks: { callback: (value) => `${Number(value).toFixed(1)}%` } },
      },
      plugins: {
        title: { display: true, text: `${input.asset} 30-day constant-maturity basis and perp funding, ${input.windowLabel}`, font: { size: 15, weight: 'bold' } },
        subtitle: { display: true, position: 'bottom', text: `as of ${asOfLabel(input.asOf)} · daily closes via ccxt`, font: { size: 11 }, color: '#666666' },
        legend: { display: datasets.length > 0, position: 'top', labels: { boxHeight: 2 } },
      },
    },
    plugins: [
      {
        id: 'whiteBackground',
        // Transparent PNGs vanish in dark chat themes.
        beforeDraw(chart) {
          chart.ctx.save();
          chart.ctx.fillStyle = '#ffffff';
          chart.ctx.fillRect(0, 0, chart.width, chart.height);
          chart.ctx.restore();
        },
      },
    ],
  };
}

/** `2026-12-02T04:53:04.651Z` as `2026-12-02 04:53 UTC`: the minute is all a reader of a daily chart needs. */
function asOfLabel(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

export async function renderHistoryChart(input: HistoryChartInput): Promise<Buffer> {
  ensureRegistered();
  const canvas = createCanvas(CHART_WIDTH, CHART_HEIGHT);
  const chart = new Chart(canvas.getContext('2d') as never, config(input));
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}
