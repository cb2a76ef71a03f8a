import { describe, expect, it } from 'vitest';
import { parseAddWords, parseDuration, parsePercent, type AddWords } from '../../src/alerts/parse.js';

const VENUES = ['binance', 'okx', 'bybit'] as const;
const parse = (line: string, extra: Partial<AddWords> = {}) => {
  const [asset, metric, ...words] = line.split(' ');
  return parseAddWords({ asset, metric, words, ...extra }, [...VENUES]);
};
const spec = (line: string, extra: Partial<AddWords> = {}) => {
  const result = parse(line, extra);
  if ('error' in result) throw new Error(`${result.error.field}: ${result.error.message}`);
  return result.spec;
};
const error = (line: string, extra: Partial<AddWords> = {}) => {
  const result = parse(line, extra);
  if (!('error' in result)) throw new Error(`parsed: ${JSON.stringify(result.spec)}`);
  return result.error;
};

describe('alert rule parser', () => {
  it('reads the examples from the issue', () => {
    expect(spec('SOL apr above 0%')).toEqual({ asset: 'SOL', metric: 'apr', direction: 'above', threshold: 0, tenor: 'front', cooldownMs: 3_600_000, band: 0.01, here: false });
    expect(spec('BTC funding above 30% binance')).toMatchObject({ metric: 'funding', threshold: 0.3, venue: 'binance', tenor: 'perp' });
    expect(spec('ETH state')).toEqual({ asset: 'ETH', metric: 'state', cooldownMs: 3_600_000, band: 0, here: false });
    expect(spec('BTC spread above 2% next')).toMatchObject({ metric: 'spread', threshold: 0.02, tenor: 'next' });
    expect(spec('SOL basis below -1% okx 2026-12-25')).toMatchObject({ metric: 'basis', direction: 'below', threshold: -0.01, venue: 'okx', tenor: '2026-12-25', band: 0.001 });
  });

  it('takes optional words in any order, and values with or without sign and percent', () => {
    const a = spec('sol apr here okx -5% below next');
    const b = spec('SOL apr below -5 okx next here');
    expect(a).toEqual(b);
    expect(a).toMatchObject({ asset: 'SOL', threshold: -0.05, here: true, venue: 'okx', tenor: 'next' });
    expect(parsePercent('+2.5%')).toBeCloseTo(0.025);
    expect(parsePercent('.5')).toBeCloseTo(0.005);
    expect(parsePercent('5%%')).toBeUndefined();
  });

  it('defaults to crosses, a 1h cooldown, and a band of 1 point (0.1 for basis)', () => {
    expect(spec('BTC apr 5%')).toMatchObject({ direction: 'crosses', cooldownMs: 3_600_000, band: 0.01 });
    expect(spec('BTC basis 0.5%').band).toBe(0.001);
  });

  it('reads cooldown and band with or without their prefix', () => {
    expect(spec('BTC apr above 5%', { cooldown: 'cooldown=30m', band: 'band=0.5%' })).toMatchObject({ cooldownMs: 1_800_000, band: 0.005 });
    expect(spec('BTC apr above 5%', { cooldown: '2h', band: '2' })).toMatchObject({ cooldownMs: 7_200_000, band: 0.02 });
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1d')).toBe(86_400_000);
  });

  it('names the field and what is valid for each bad input', () => {
    expect(error('SOL apy above 0%')).toMatchObject({ field: 'metric', message: expect.stringContaining('did you mean apr'), hint: 'Metrics: apr, basis, funding, spread, state.' });
    expect(error('SOL apr above lots')).toMatchObject({ field: 'rule', message: expect.stringContaining('"lots"') });
    expect(error('SOL apr above 5x%')).toMatchObject({ field: 'value', message: '"5x%" is not a number' });
    expect(error('SOL apr above 1,5')).toMatchObject({ field: 'value' });
    expect(error('SOL apr above')).toMatchObject({ field: 'value', message: expect.stringContaining('required') });
    expect(error('SOL apr above 1% 2%')).toMatchObject({ field: 'value', message: expect.stringContaining('two values') });
    expect(error('SOL apr above 1%', { cooldown: '30s' })).toMatchObject({ field: 'cooldown', message: 'must be at least 1m' });
    expect(error('SOL apr above 1%', { cooldown: 'soon' })).toMatchObject({ field: 'cooldown' });
    expect(error('SOL apr above 1%', { band: '-1' })).toMatchObject({ field: 'band' });
    expect(error('SOL apr above 1% deribit')).toMatchObject({ field: 'venue', message: 'deribit is not enabled here' });
    expect(error('SOL apr above 1% 2026-02-30')).toMatchObject({ field: 'tenor', message: expect.stringContaining('not a date') });
    expect(error('SOL apr above 1% perp')).toMatchObject({ field: 'tenor', hint: 'For the perpetual, watch funding.' });
    expect(error('SOL funding above 1% front')).toMatchObject({ field: 'tenor' });
    expect(error('SOL spread above 1% okx')).toMatchObject({ field: 'venue' });
    expect(error('SOL state above 1%')).toMatchObject({ field: 'direction' });
    expect(error('SOL state front')).toMatchObject({ field: 'tenor' });
    expect(error('SO$L apr above 1%')).toMatchObject({ field: 'asset' });
  });

  it('bounds hostile text: control characters dropped, long words refused and quoted short', () => {
    expect(spec('SOL\u0000 apr ab\u0007ove 1%')).toMatchObject({ asset: 'SOL', direction: 'above' });
    const long = error(`SOL apr above 1% ${'x'.repeat(5000)}`);
    expect(long.field).toBe('rule');
    expect(long.message.length).toBeLessThan(80);
    expect(error(`SOL apr above 1% ${Array(20).fill('okx').join(' ')}`).field).toBe('rule');
    expect(error('SOL apr above 1000000%').field).toBe('value');
  });
});
