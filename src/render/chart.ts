/**
 * Term-structure chart as a PNG: chart.js 4 drawing server-side on @napi-rs/canvas.
 * One line per venue, x = days to expiry, y = annualized basis in percent, with the perp's
 * annualized funding as the zero-tenor point.
 */
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  SubTitle,
  Title,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';

export interface CurveChartPoint {
  daysToExpiry: number;
  /** Annualized basis (or funding for the perp) as a fraction: 0.08 = 8 %/yr. */
  annualizedRate: number;
  label: string;
}

export interface CurveChartInput {
  asset: string;
  asOf: string;
  series: { venue: string; points: CurveChartPoint[] }[];
  /**
   * The same curves at an earlier moment (`/curve overlay=7d`), drawn dashed in each
   * venue's colour. Optional, so the services' CurveChartInput (without it) still fits.
   */
  overlay?: { label: string; series: { venue: string; points: CurveChartPoint[] }[] };
}

export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 450;

const FONT_FAMILY = 'DejaVu Sans';
const FONT_FILE = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const CONTANGO_FILL = 'rgba(46, 160, 67, 0.08)';
const BACKWARDATION_FILL = 'rgba(218, 54, 51, 0.08)';
const CONTANGO_TEXT = 'rgba(30, 120, 50, 0.75)';
const BACKWARDATION_TEXT = 'rgba(180, 40, 40, 0.75)';

// Fixed colours per venue so the same exchange looks the same in every chart (this one and history-chart.ts).
export const VENUE_COLOURS: Readonly<Record<string, string>> = {
  binance: '#c99400',
  okx: '#222222',
  bybit: '#e8590c',
  deribit: '#1c7ed6',
};
const FALLBACK_COLOURS = ['#7048e8', '#0c8599', '#c2255c', '#5c940d', '#862e9c'];

let componentsRegistered = false;

/** chart.js keeps a global registry: register what a line chart needs once per process (every chart here calls it). */
export function ensureRegistered(): void {
  if (componentsRegistered) return;
  Chart.register(LineController, LineElement, PointElement, LinearScale, Title, SubTitle, Legend);
  // Canvas text falls back to an invisible or tofu font when no family matches, so make sure
  // DejaVu is known even where the system font scan did not pick it up.
  if (!GlobalFonts.has(FONT_FAMILY)) GlobalFonts.registerFromPath(FONT_FILE, FONT_FAMILY);
  Chart.defaults.font.family = GlobalFonts.has(FONT_FAMILY) ? FONT_FAMILY : 'sans-serif';
  Chart.defaults.color = '#333333';
  componentsRegistered = true;
}

/** The venue's colour, or one of the fallbacks for a venue without its own. */
export function venueColour(venue: string, index: number): string {
  return VENUE_COLOURS[venue.toLowerCase()] ?? FALLBACK_COLOURS[index % FALLBACK_COLOURS.length];
}

function usablePoints(points: CurveChartPoint[]): CurveChartPoint[] {
  return points
    .filter((point) => Number.isFinite(point.daysToExpiry) && Number.isFinite(point.annualizedRate))
    .sort((a, b) => a.daysToExpiry - b.daysToExpiry);
}

/**
 * Draws what chart.js has no option for: the white background (transparent PNGs vanish in
 * dark chat themes), green/red bands above/below zero so contango and backwardation read at
 * a glance, a solid zero line, and a "no data" message.
 */
function regimePlugin(hasData: boolean): Plugin<'line'> {
  return {
    id: 'basisRegimes',
    beforeDraw(chart) {
      const { ctx, width, height } = chart;
      ctx.save();
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, width, height);
      ctx.restore();
    },
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea: area, scales } = chart;
      const zeroY = Math.min(area.bottom, Math.max(area.top, scales.y.getPixelForValue(0)));
      ctx.save();
      ctx.fillStyle = CONTANGO_FILL;
      ctx.fillRect(area.left, area.top, area.width, zeroY - area.top);
      ctx.fillStyle = BACKWARDATION_FILL;
      ctx.fillRect(area.left, zeroY, area.width, area.bottom - zeroY);
      ctx.font = `12px "${Chart.defaults.font.family}"`;
      ctx.textAlign = 'right';
      if (zeroY - area.top > 20) {
        ctx.fillStyle = CONTANGO_TEXT;
        ctx.textBaseline = 'top';
        ctx.fillText('contango ▲', area.right - 6, area.top + 6);
      }
      if (area.bottom - zeroY > 20) {
        ctx.fillStyle = BACKWARDATION_TEXT;
        ctx.textBaseline = 'bottom';
        ctx.fillText('backwardation ▼', area.right - 6, area.bottom - 6);
      }
      ctx.strokeStyle = '#555555';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(area.left, zeroY);
      ctx.lineTo(area.right, zeroY);
      ctx.stroke();
      ctx.restore();
    },
    afterDraw(chart) {
      if (hasData) return;
      const { ctx, chartArea: area } = chart;
      ctx.save();
      ctx.fillStyle = '#666666';
      ctx.font = `bold 20px "${Chart.defaults.font.family}"`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText('no data', (area.left + area.right) / 2, area.top + area.height / 3);
      ctx.restore();
    },
  };
}

function sourceLine(venues: string[]): string {
  const names = [...new Set(venues.map((venue) => venue.toLowerCase()))];
  return names.length > 0 ? `${names.join(', ')} via ccxt` : 'no venue answered';
}

function buildConfig(input: CurveChartInput): ChartConfiguration<'line', { x: number; y: number }[]> {
  const series = input.series
    .map((entry) => ({ venue: entry.venue, points: usablePoints(entry.points) }))
    .filter((entry) => entry.points.length > 0);
  const hasData = series.length > 0;
  const past = (input.overlay?.series ?? []).map((entry) => ({ venue: entry.venue, points: usablePoints(entry.points) })).filter((entry) => entry.points.length > 0);
  const longestTenor = Math.max(0, ...[...series, ...past].flatMap((entry) => entry.points.map((p) => p.daysToExpiry)));
  const indexOf = (venue: string): number => Math.max(0, series.findIndex((entry) => entry.venue === venue));
  return {
    type: 'line',
    data: {
      datasets: [
        ...series.map((entry, index) => {
        const colour = venueColour(entry.venue, index);
        return {
          label: entry.venue,
          data: entry.points.map((point) => ({ x: point.daysToExpiry, y: point.annualizedRate * 100 })),
          borderColor: colour,
          backgroundColor: colour,
          borderWidth: 2,
          pointRadius: 4,
          pointBackgroundColor: colour,
          tension: 0,
          // The perp sits on the y axis at x = 0; unclipped, its marker is drawn whole.
          clip: false as const,
        };
      }),
        // The earlier curve: same colour, dashed and lighter, so "now" stays the eye's first read.
        ...past.map((entry) => {
          const colour = venueColour(entry.venue, indexOf(entry.venue));
          return {
            label: `${entry.venue} ${input.overlay!.label}`,
            data: entry.points.map((point) => ({ x: point.daysToExpiry, y: point.annualizedRate * 100 })),
            borderColor: colour,
            backgroundColor: '#ffffff',
            borderWidth: 1.5,
            borderDash: [6, 4],
            pointRadius: 3,
            pointBackgroundColor: '#ffffff',
            tension: 0,
            clip: false as const,
          };
        }),
      ],
    },
    options: {
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      layout: { padding: { left: 8, right: 16, top: 4, bottom: 4 } },
      scales: {
        x: {
          type: 'linear',
          min: 0,
          // Without data chart.js would pick 0..1; a quarter gives the empty chart a sane axis.
          suggestedMax: hasData ? undefined : 90,
          max: hasData && longestTenor === 0 ? 30 : undefined,
          title: { display: true, text: 'days to expiry' },
          ticks: { precision: 0 },
        },
        y: {
          type: 'linear',
          beginAtZero: true,
          grace: '10%',
          suggestedMin: hasData ? undefined : -5,
          suggestedMax: hasData ? undefined : 5,
          title: { display: true, text: 'annualized basis (%/yr)' },
          ticks: { callback: (value) => `${Number(value).toFixed(1)}%` },
        },
      },
      plugins: {
        title: {
          display: true,
          text: `${input.asset.toUpperCase()} term structure (annualized basis, perp funding at 0 d)`,
          font: { size: 16, weight: 'bold' },
        },
        subtitle: {
          display: true,
          position: 'bottom',
          text: `as of ${input.asOf} · ${sourceLine(input.series.map((entry) => entry.venue))}`,
          font: { size: 11 },
          color: '#666666',
        },
        legend: { display: hasData, position: 'top', labels: { usePointStyle: true, boxHeight: 6 } },
      },
    },
    plugins: [regimePlugin(hasData)],
  };
}

/** Renders the term-structure chart to an 800x450 PNG. Empty input gives a "no data" chart. */
export async function renderCurveChart(input: CurveChartInput): Promise<Buffer> {
  ensureRegistered();
  const canvas = createCanvas(CHART_WIDTH, CHART_HEIGHT);
  // chart.js types expect a DOM canvas context; the napi-rs context implements the same calls.
  const chart = new Chart(canvas.getContext('2d') as any, buildConfig(input));
  try {
    return await canvas.encode('png');
  } finally {
    // destroy() drops the chart from Chart.instances; without it every render would be kept alive.
    chart.destroy();
  }
}
