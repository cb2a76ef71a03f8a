import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../src/core/reply.js';
import type { CurveChartInput } from '../../src/core/services.js';
import { composeDigest, type DigestParams } from '../../src/digests/compose.js';
import { fetchAssets } from '../../src/digests/fetch.js';
import type { AssetData } from '../../src/digests/types.js';
import { startReplayApp, type ReplayApp } from '../helpers/replay-app.js';
import { replyText } from './reply-text.js';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

describe('composeDigest on the replay (BTC contango, SOL backwardation with negative funding, ETH mixed)', () => {
  let replay: ReplayApp;
  let data: Map<string, AssetData>;
  const charts: CurveChartInput[] = [];
  const renderChart = async (input: CurveChartInput) => {
    charts.push(input);
    return Buffer.from('png');
  };
  const compose = (params: Partial<DigestParams> = {}) => composeDigest({ assets: ['BTC', 'ETH', 'SOL'], timezone: 'UTC', at: NOW, data, renderChart, ...params });
  const table = (blocks: Block[], asset: string) => blocks.find((block): block is Extract<Block, { kind: 'table' }> => block.kind === 'table' && block.title!.startsWith(`${asset}:`));

  beforeAll(async () => {
    replay = await startReplayApp({ server: { clock: () => NOW }, env: { QUOTE_TTL_MS: '600000' } });
    data = await fetchAssets(replay.app.market, ['BTC', 'ETH', 'SOL', 'XRP', 'DOGE', 'FOO']);
  });
  afterAll(async () => replay.close());

  it('states each market, the trade it implies and its main risk', async () => {
    const { reply } = await compose();
    const text = replyText(reply);
    expect(table(reply.blocks, 'BTC')!.title).toBe('BTC: contango');
    expect(table(reply.blocks, 'SOL')!.title).toBe('SOL: backwardation');
    expect(table(reply.blocks, 'ETH')!.title).toBe('ETH: mixed');
    expect(text).toMatch(/Contango on BTC favours cash-and-carry \(buy spot, sell the future\), best \S+ on \w+ at \+\d+\.\d\d% a year/);
    expect(text).toMatch(/Backwardation on SOL favours reverse cash-and-carry .*SOL pairs it with negative funding, a possible supply squeeze/);
    expect(text).toMatch(/ETH \([^)]+\) is mixed, so no single carry trade fits/);
    // Funding is annualized and negative on every SOL venue.
    expect(table(reply.blocks, 'SOL')!.rows.every((row) => row[4].startsWith('-'))).toBe(true);
    expect(reply.tone).toBe('neutral');
  });

  it('front and next are two different expiries on every venue', async () => {
    const { snapshot } = await compose();
    for (const venues of Object.values(snapshot.assets)) {
      for (const figures of Object.values(venues)) {
        if (figures.front && figures.next) expect(figures.next.daysToExpiry).toBeGreaterThan(figures.front.daysToExpiry);
      }
    }
  });

  it('a first digest says there is no earlier one and shows no changes', async () => {
    const { reply } = await compose();
    const text = replyText(reply);
    expect(text).toMatch(/First digest for this chat: there is no earlier one/);
    expect(text).toMatch(/Most extreme front basis: SOL -\d+\.\d\d% a year on \w+/);
    expect(text).not.toMatch(/pp\)/);
  });

  it('the next digest shows each change since the previous one and the largest mover', async () => {
    const first = await compose();
    const previous = structuredClone(first.snapshot);
    previous.at = NOW - 86_400_000;
    previous.assets['SOL']['okx'].front!.annualizedRate -= 0.031;
    previous.assets['BTC']['binance'].funding! += 0.002;
    // A contract that rolled is not a change: the figure is new.
    previous.assets['BTC']['okx'].front!.symbol = 'BTC/USDT:USDT-261120';
    const { reply } = await compose({ previous });
    const text = replyText(reply);
    const sol = table(reply.blocks, 'SOL')!.rows.find((row) => row[0] === 'okx')!;
    expect(sol[2]).toMatch(/^-\d+\.\d\d% \(\+3\.10pp\)$/);
    expect(table(reply.blocks, 'BTC')!.rows.find((row) => row[0] === 'binance')![4]).toMatch(/\(-0\.20pp\)$/);
    expect(table(reply.blocks, 'BTC')!.rows.find((row) => row[0] === 'okx')![2]).toMatch(/\(new\)$/);
    expect(text).toMatch(/Largest move since the previous digest \(Tue, 24 Nov 2026, 12:00 UTC\): SOL front basis on okx, \+3\.10pp to -\d+\.\d\d%/);
    expect(text).not.toMatch(/First digest/);
  });

  it('names a failed venue, an asset no venue answered for and an unlisted one, and still goes out', async () => {
    const btc = data.get('BTC') as Extract<AssetData, { kind: 'ok' }>;
    const partial = new Map(data);
    partial.set('BTC', { ...btc, set: { ...btc.set, curves: btc.set.curves.filter((curve) => curve.venue !== 'okx'), failures: [{ venue: 'okx', error: 'ExchangeNotAvailable: okx 503 Service Unavailable' }] } });
    partial.set('ETH', { asset: 'ETH', kind: 'failed', failures: [{ venue: 'okx', error: 'ExchangeNotAvailable: okx 503 Service Unavailable' }, { venue: 'binance', error: 'RequestTimeout' }] });
    const { reply, snapshot } = await compose({ data: partial, assets: ['BTC', 'ETH', 'SOL', 'FOO'] });
    const text = replyText(reply);
    expect(text).toMatch(/okx did not answer for BTC, ETH: ExchangeNotAvailable/);
    expect(text).toMatch(/binance did not answer for ETH: RequestTimeout/);
    expect(text).toMatch(/No venue answered for ETH\./);
    expect(text).toMatch(/Not listed on any venue: FOO/);
    expect(table(reply.blocks, 'BTC')!.rows.map((row) => row[0])).not.toContain('okx');
    expect(table(reply.blocks, 'SOL')).toBeDefined();
    expect(Object.keys(snapshot.assets)).toEqual(['BTC', 'SOL']);
  });

  it('titles with the date in the chat zone and notes a late digest', async () => {
    const at = Date.UTC(2026, 10, 25, 23, 30);
    expect((await compose({ at, timezone: 'Asia/Tokyo' })).reply.title).toBe('Basis digest, Thursday, 26 November 2026');
    expect((await compose({ at, timezone: 'UTC' })).reply.title).toBe('Basis digest, Wednesday, 25 November 2026');
    const late = await compose({ at, timezone: 'Europe/Berlin', late: { dueAt: Date.UTC(2026, 10, 25, 21, 0) } });
    expect(replyText(late.reply)).toMatch(/Late: this digest was due at Wed, 25 Nov 2026, 22:00 CET, while the bot was down/);
  });

  it('one chart, one line per asset labelled <ASSET> <venue>, and text within platform limits for the whole watch list', async () => {
    charts.length = 0;
    const { reply } = await compose({ assets: ['BTC', 'ETH', 'SOL', 'XRP', 'DOGE'] });
    expect(charts).toHaveLength(1);
    expect(charts[0].series.map((series) => series.venue.split(' ')[0])).toEqual(['BTC', 'ETH', 'SOL', 'XRP', 'DOGE']);
    expect(charts[0].series.every((series) => /^[A-Z]+ (binance|okx|bybit|deribit)$/.test(series.venue))).toBe(true);
    expect(reply.image?.name).toBe('digest-curves.png');
    expect(reply.image!.alt.length).toBeLessThan(1024);
    const text = replyText(reply);
    expect(text.length).toBeLessThan(4096);
    expect(reply.blocks.length).toBeLessThanOrEqual(25);
  });
});
