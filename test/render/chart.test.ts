import { Chart } from 'chart.js';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, renderCurveChart, type CurveChartInput } from '../../src/render/chart.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function readIhdr(png: Buffer): { width: number; height: number } {
  // The IHDR chunk always comes first: length (4) + type (4) after the 8-byte signature.
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Decodes an 8-bit RGBA, non-interlaced PNG (what @napi-rs/canvas writes) to raw pixels. */
function decodeRgba(png: Buffer): { width: number; height: number; pixel(x: number, y: number): number[] } {
  const { width, height } = readIhdr(png);
  expect(png[24]).toBe(8); // bit depth
  expect(png[25]).toBe(6); // colour type RGBA
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString('ascii');
    if (type === 'IDAT') idat.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = Buffer.alloc(stride * height);
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)];
    const line = raw.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= 4 ? pixels[row * stride + i - 4] : 0;
      const up = row > 0 ? pixels[(row - 1) * stride + i] : 0;
      const upLeft = row > 0 && i >= 4 ? pixels[(row - 1) * stride + i - 4] : 0;
      const paeth = (): number => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predictor = [0, left, up, (left + up) >> 1, paeth()][filter];
      pixels[row * stride + i] = (line[i] + predictor) & 0xff;
    }
  }
  return { width, height, pixel: (x, y) => [...pixels.subarray(y * stride + x * 4, y * stride + x * 4 + 4)] };
}

const btc: CurveChartInput = {
  asset: 'btc',
  asOf: '2025-01-15 12:00 UTC',
  series: [
    {
      venue: 'binance',
      points: [
        { daysToExpiry: 0, annualizedRate: 0.11, label: 'perp' },
        { daysToExpiry: 72, annualizedRate: 0.1, label: 'Mar 28' },
        { daysToExpiry: 163, annualizedRate: 0.12, label: 'Jun 27' },
      ],
    },
    {
      venue: 'okx',
      points: [
        { daysToExpiry: 0, annualizedRate: -0.02, label: 'perp' },
        { daysToExpiry: 9, annualizedRate: -0.04, label: 'Jan 24' },
        { daysToExpiry: 72, annualizedRate: 0.05, label: 'Mar 28' },
      ],
    },
  ],
};

describe('renderCurveChart', () => {
  it('produces an 800x450 PNG', async () => {
    const png = await renderCurveChart(btc);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(readIhdr(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect([CHART_WIDTH, CHART_HEIGHT]).toEqual([800, 450]);
  });

  it('paints an opaque white background so dark chat themes do not swallow it', async () => {
    const image = decodeRgba(await renderCurveChart(btc));
    for (const [x, y] of [[0, 0], [799, 0], [0, 449], [799, 449]]) {
      expect(image.pixel(x, y)).toEqual([255, 255, 255, 255]);
    }
  });

  it('gives different bytes for different inputs and the same bytes for the same input', async () => {
    const first = await renderCurveChart(btc);
    const again = await renderCurveChart(btc);
    const flipped = await renderCurveChart({
      ...btc,
      series: btc.series.map((s) => ({ ...s, points: s.points.map((p) => ({ ...p, annualizedRate: -p.annualizedRate })) })),
    });
    const otherAsset = await renderCurveChart({ ...btc, asset: 'eth' });
    expect(first.equals(again)).toBe(true);
    expect(first.equals(flipped)).toBe(false);
    expect(first.equals(otherAsset)).toBe(false);
  });

  it('draws a venue line in its colour where the data is', async () => {
    const onlyOkx = await renderCurveChart({ ...btc, series: [btc.series[1]] });
    const both = await renderCurveChart(btc);
    const countColoured = (png: Buffer): number => {
      const image = decodeRgba(png);
      let coloured = 0;
      // binance is drawn in a saturated gold: count strongly yellow pixels.
      for (let y = 0; y < image.height; y += 2) {
        for (let x = 0; x < image.width; x += 2) {
          const [r, g, b] = image.pixel(x, y);
          if (r > 150 && g > 110 && b < 60) coloured++;
        }
      }
      return coloured;
    };
    expect(countColoured(both)).toBeGreaterThan(countColoured(onlyOkx) + 50);
  });

  it('renders a "no data" chart for empty or unusable series instead of throwing', async () => {
    const empty = await renderCurveChart({ asset: 'eth', asOf: 'now', series: [] });
    expect(readIhdr(empty)).toEqual({ width: 800, height: 450 });
    const unusable = await renderCurveChart({
      asset: 'eth',
      asOf: 'now',
      series: [{ venue: 'okx', points: [{ daysToExpiry: Number.NaN, annualizedRate: Infinity, label: '?' }] }, { venue: 'bybit', points: [] }],
    });
    expect(readIhdr(unusable)).toEqual({ width: 800, height: 450 });
    expect(empty.equals(unusable)).toBe(false); // the source line names the venues that were asked
  });

  it('copes with a perp-only curve (every point at zero days)', async () => {
    const png = await renderCurveChart({ ...btc, series: [{ venue: 'bybit', points: [{ daysToExpiry: 0, annualizedRate: 0.3, label: 'perp' }] }] });
    expect(readIhdr(png).width).toBe(800);
  });

  it('destroys each chart after encoding so repeated renders do not pile up', async () => {
    const before = Object.keys(Chart.instances).length;
    const sizes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const png = await renderCurveChart({ ...btc, asOf: `run ${i}` });
      sizes.push(png.length);
    }
    expect(Object.keys(Chart.instances).length).toBe(before);
    expect(before).toBe(0);
    expect(sizes.every((size) => size > 1000)).toBe(true);
  });
});
