/**
 * A digest at its largest still fits each platform: a 12-asset watch list (two past the cap),
 * four venues each, every figure with a change since last time, a late note and failing
 * venues with long errors. Checked with the fakes' own validators (what Telegram and Discord
 * refuse), through the real renderers, and nothing may be cut short.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReply } from '../../src/adapters/discord/render.js';
import { renderForTelegram } from '../../src/adapters/telegram/render.js';
import { composeDigest } from '../../src/digests/compose.js';
import { fetchAssets } from '../../src/digests/fetch.js';
import { MAX_ASSETS } from '../../src/digests/schedule-spec.js';
import type { AssetData } from '../../src/digests/types.js';
import { findPayloadProblem } from '../fakes/discord-messages.js';
import { ApiFailure, parseText } from '../fakes/telegram-requests.js';
import { startReplayApp, type ReplayApp } from '../helpers/replay-app.js';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const REAL = ['BTC', 'ETH', 'SOL', 'XRP', 'DOGE'];
// The replay lists five assets; the others are copies of them under other names.
const CLONES = ['ADA', 'AVAX', 'LINK', 'DOT', 'TRX', 'TON', 'LTC'];
const WATCH = [...REAL, ...CLONES];

describe('the largest digest fits Telegram and Discord', () => {
  let replay: ReplayApp;
  let data: Map<string, AssetData>;

  beforeAll(async () => {
    replay = await startReplayApp({ server: { clock: () => NOW }, env: { QUOTE_TTL_MS: '600000' } });
    const real = await fetchAssets(replay.app.market, REAL);
    data = new Map(real);
    CLONES.forEach((asset, index) => {
      const source = real.get(REAL[index % REAL.length]) as Extract<AssetData, { kind: 'ok' }>;
      const failures = [{ venue: 'deribit' as const, error: `RequestTimeout: deribit GET https://127.0.0.1/api/v2/public/${'x'.repeat(300)}` }];
      data.set(asset, { asset, kind: 'ok', set: { ...source.set, asset, curves: source.set.curves.map((curve) => ({ ...curve, asset })), failures } });
    });
  });
  afterAll(async () => replay.close());

  async function largest() {
    const chart = await replay.app.services.renderCurveChart({ asset: 'x', asOf: new Date(NOW).toISOString(), series: [] }).catch(() => Buffer.from('png'));
    const first = await composeDigest({ assets: WATCH, timezone: 'America/Argentina/Buenos_Aires', at: NOW, data, renderChart: async () => chart });
    const previous = structuredClone(first.snapshot);
    previous.at = NOW - 86_400_000;
    for (const venues of Object.values(previous.assets)) {
      for (const figures of Object.values(venues)) {
        if (figures.front) figures.front.annualizedRate -= 0.1234;
        if (figures.next) figures.next.annualizedRate += 0.0567;
        if (figures.funding !== undefined) figures.funding -= 1.2345;
      }
    }
    return composeDigest({ assets: WATCH, timezone: 'America/Argentina/Buenos_Aires', at: NOW, data, previous, late: { dueAt: NOW - 3_600_000 }, renderChart: async () => chart });
  }

  it('covers MAX_ASSETS assets and names the rest', async () => {
    const { reply } = await largest();
    const tables = reply.blocks.filter((block) => block.kind === 'table');
    expect(tables.map((table) => table.title!.split(':')[0])).toEqual(WATCH.slice(0, MAX_ASSETS));
    expect(reply.blocks.some((block) => block.kind === 'note' && /^Left out: TON, LTC \(a digest covers at most 10 assets/.test(block.text))).toBe(true);
  });

  it('Telegram: a photo whose caption fits 1,024 characters, then messages within 4,096, nothing cut short', async () => {
    const { reply } = await largest();
    const rendering = renderForTelegram(reply);
    expect(rendering.photo).toBeDefined();
    const check = (html: string, limit: number, kind: 'text' | 'caption') => {
      try {
        return parseText(html, 'HTML', limit, kind);
      } catch (error) {
        throw new Error(error instanceof ApiFailure ? `Telegram would refuse the ${kind}: ${error.description}` : String(error));
      }
    };
    const caption = check(rendering.photo!.caption, 1024, 'caption');
    expect(caption).toMatch(/Basis digest, Wednesday, 25 November 2026/);
    const texts = rendering.messages.map((html) => check(html, 4096, 'text'));
    const all = [caption, ...texts].join('\n');
    expect(all).not.toMatch(/cut short/);
    for (const asset of WATCH.slice(0, MAX_ASSETS)) expect(all).toContain(`${asset}: `);
    expect(all).toMatch(/Late: this digest was due at/);
    expect(all).toMatch(/Largest move since the previous digest/);
    expect(all).toMatch(/deribit did not answer for ADA, AVAX, LINK, DOT, TRX: RequestTimeout/);
    // A photo and a few messages, not a flood.
    expect(texts.length).toBeLessThanOrEqual(4);
  });

  it('Discord: every message passes the embed limits, the chart is attached once, nothing is dropped', async () => {
    const { reply } = await largest();
    const messages = renderReply(reply);
    for (const message of messages) expect(findPayloadProblem({ embeds: message.embeds, components: message.components })).toBeUndefined();
    expect(messages.flatMap((message) => message.files)).toHaveLength(1);
    expect(messages.length).toBeLessThanOrEqual(2);
    const all = JSON.stringify(messages.map((message) => message.embeds));
    for (const asset of WATCH.slice(0, MAX_ASSETS)) expect(all).toContain(`${asset}: `);
    expect(all).toContain('Left out: TON, LTC');
  });
});
