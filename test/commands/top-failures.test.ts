import { describe, expect, it } from 'vitest';
import { topCommand } from '../../commands/top.js';
import type { CommandContext } from '../../src/core/command.js';
import type { MarketService } from '../../src/core/services.js';
import { NoVenueAnsweredError, VenueTimeoutError } from '../../src/market/errors.js';

/** A market where every venue hangs: each watched asset fails with NoVenueAnsweredError. */
function everyVenueHangs(): CommandContext {
  const timeout = new VenueTimeoutError(4_000).message;
  const market: MarketService = {
    venues: () => ['binance', 'okx'],
    curves: async () => {
      throw new NoVenueAnsweredError([
        { venue: 'binance', error: timeout },
        { venue: 'okx', error: timeout },
      ]);
    },
    isCached: () => false,
    knownAssets: async () => [],
    status: () => ({ venues: [], cache: { hits: 0, misses: 0, coalesced: 0, hitRate: 0 }, venueRequests: 0 }),
  };
  return { services: { market, renderCurveChart: async () => Buffer.alloc(0), watchList: ['BTC', 'ETH'], startedAt: 0 }, now: () => 0 };
}

describe('/top when every venue hangs (issue 11 item 2)', () => {
  it('says no venue answered, once, naming each venue and its reason', async () => {
    const result = await topCommand.run({ args: {} } as never, everyVenueHangs());
    const warnings = result.reply.blocks.filter((block) => block.kind === 'note' && block.tone === 'warn').map((block) => (block.kind === 'note' ? block.text : ''));
    expect(warnings).toEqual(['No venue answered for BTC, ETH: binance: no answer within 4.0 s; okx: no answer within 4.0 s']);
  });
});

describe('/top with nothing to rank', () => {
  it('fails plainly instead of claiming no contract is in backwardation or contango', async () => {
    const result = await topCommand.run({ args: {} } as never, everyVenueHangs());
    expect(result.ok).toBe(false);
    const texts = result.reply.blocks.map((block) => ('text' in block ? block.text : ''));
    expect(texts[0]).toBe('No venue answered for any asset on the watch list (BTC, ETH), so there is nothing to rank. Try again shortly.');
    expect(texts.join('\n')).not.toMatch(/is in (backwardation|contango)/);
    expect(result.reply.blocks.some((block) => block.kind === 'table')).toBe(false);
  });
});
