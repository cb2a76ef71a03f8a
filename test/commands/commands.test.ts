import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CALLER } from '../../src/adapters/console/session.js';
import type { CommandResult } from '../../src/core/command.js';
import { startReplayApp, type ReplayApp } from '../helpers/replay-app.js';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

describe('commands against the replay (real ccxt, real services)', () => {
  let replay: ReplayApp;
  const ask = async (line: string): Promise<CommandResult> => (await replay.app.dispatcher.handleText(line, CONSOLE_CALLER))!;
  const text = (result: CommandResult) => JSON.stringify(result.reply);

  beforeAll(async () => {
    replay = await startReplayApp({ server: { clock: () => NOW }, env: { QUOTE_TTL_MS: '600000' } });
  });
  afterAll(async () => replay.close());

  it('/basis with a venue answers from that venue only', async () => {
    const result = await ask('/basis ETH okx');
    const data = result.data as { curves: { venue: string }[]; state: string };
    expect(data.curves.map((curve) => curve.venue)).toEqual(['okx']);
    expect(result.reply.title).toBe(`ETH basis: ${data.state} on okx`);
    expect(result.reply.actions).toEqual([{ id: 'refresh', label: 'Refresh' }]);
  });

  it('/funding normalises to 8h, sorts by rate and states the spread', async () => {
    const result = await ask('/funding SOL');
    const data = result.data as { perps: { venue: string; rate: number; intervalHours: number; ratePer8h: number; annualizedRate: number }[]; spreadPer8h: number };
    expect(data.perps).toHaveLength(4);
    const binance = data.perps.find((perp) => perp.venue === 'binance')!;
    expect(binance.intervalHours).toBe(4);
    expect(binance.ratePer8h).toBeCloseTo(binance.rate * 2, 12);
    const per8h = data.perps.map((perp) => perp.ratePer8h);
    expect(per8h).toEqual([...per8h].sort((a, b) => b - a));
    expect(data.spreadPer8h).toBeCloseTo(per8h[0] - per8h[per8h.length - 1], 12);
    expect(text(result)).toMatch(/negative on every venue: shorts pay longs/);
  });

  it('/top ranks the watch list: SOL most backwardated, BTC most contango, XRP and DOGE funding extremes', async () => {
    const result = await ask('/top 3');
    const data = result.data as {
      backwardated: { asset: string; annualizedRate: number }[];
      contango: { asset: string; annualizedRate: number }[];
      fundingExtremes: { asset: string; ratePer8h: number }[];
    };
    expect(data.backwardated).toHaveLength(3);
    expect(data.backwardated.every((row) => row.asset === 'SOL' && row.annualizedRate < 0)).toBe(true);
    expect(data.backwardated.map((row) => row.annualizedRate)).toEqual(data.backwardated.map((row) => row.annualizedRate).sort((a, b) => a - b));
    expect(data.contango.every((row) => row.annualizedRate > 0)).toBe(true);
    expect(data.contango[0].asset).toBe('BTC');
    expect(data.fundingExtremes[0].asset).toBe('XRP');
    expect(data.fundingExtremes[data.fundingExtremes.length - 1].asset).toBe('DOGE');
  });

  it('/curve returns a PNG chart with perp funding at zero tenor', async () => {
    const result = await ask('/curve SOL');
    expect(result.reply.image?.png.subarray(1, 4).toString()).toBe('PNG');
    const data = result.data as { series: { venue: string; points: { daysToExpiry: number }[] }[] };
    expect(data.series.every((series) => series.points[0].daysToExpiry === 0)).toBe(true);
  });

  it('/status reports venues, cache and uptime', async () => {
    const result = await ask('/status');
    const data = result.data as { venues: { venue: string; marketsLoaded: boolean }[]; cache: { hitRate: number }; uptimeMs: number };
    expect(data.venues.map((venue) => venue.venue)).toEqual(['binance', 'okx', 'bybit', 'deribit']);
    expect(data.venues.every((venue) => venue.marketsLoaded)).toBe(true);
    expect(data.cache.hitRate).toBeGreaterThan(0);
  });

  it('/explain, /help and user errors', async () => {
    expect((await ask('/explain cash-and-carry')).reply.title).toBe('cash-and-carry');
    const unknownTerm = await ask('/explain gamma squeeze');
    expect(unknownTerm.ok).toBe(false);
    expect((await ask('/help basis')).reply.blocks[0]).toMatchObject({ text: expect.stringContaining('Usage: /basis <asset> [venue]') });
    const unknownAsset = await ask('/basis DOG');
    expect(unknownAsset.ok).toBe(false);
    expect(text(unknownAsset)).toMatch(/Did you mean DOGE/);
    const elsewhere = await ask('/curve XRP deribit');
    expect(elsewhere.ok).toBe(false);
    expect(text(elsewhere)).toMatch(/XRP is not listed on deribit.*It is listed on binance, okx, bybit/);
    const hostile = await ask('/basis <script>');
    expect(hostile.ok).toBe(false);
    expect(hostile.reply.tone).toBe('error');
  });

  it('/top names a failing venue once, with the assets it cost', async () => {
    const broken = await startReplayApp({ server: { clock: () => NOW, faults: { okx: { kind: 'down' } } } });
    try {
      const result = (await broken.app.dispatcher.handleText('/top', CONSOLE_CALLER))!;
      const warnings = result.reply.blocks.filter((block) => block.kind === 'note' && block.tone === 'warn');
      expect(warnings).toHaveLength(1);
      expect(JSON.stringify(warnings[0])).toMatch(/okx did not answer for BTC, ETH, SOL, XRP, DOGE/);
      expect((result.data as { contango: unknown[] }).contango.length).toBeGreaterThan(0);
    } finally {
      await broken.close();
    }
  });
});
