import { describe, expect, it } from 'vitest';
import { checkCron, MAX_SET_TEXT, parseScheduleSpec, setText } from '../../src/digests/schedule-spec.js';
import { canonicalZone, suggestZones } from '../../src/digests/zones.js';

const ok = (text: string) => {
  const result = parseScheduleSpec(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.error}`);
  return result.spec;
};
const err = (text: string) => {
  const result = parseScheduleSpec(text);
  if (result.ok) throw new Error(`expected ${text} to fail`);
  return result;
};

describe('/digest set text', () => {
  it('HH:MM with a zone and assets', () => {
    expect(ok('08:00 Europe/Berlin BTC eth SOL btc')).toEqual({ when: '08:00', expression: '0 8 * * *', timezone: 'Europe/Berlin', assets: ['BTC', 'ETH', 'SOL'] });
  });

  it('HH:MM alone: zone and assets left to the defaults; single-digit hours are padded', () => {
    expect(ok('7:05')).toEqual({ when: '07:05', expression: '5 7 * * *', timezone: undefined, assets: undefined });
  });

  it('a zone is recognised whatever its case; a ticker after the time starts the assets', () => {
    expect(ok('08:00 europe/berlin').timezone).toBe('Europe/Berlin');
    expect(ok('08:00 UTC').timezone).toBe('UTC');
    expect(ok('08:00 BTC ETH')).toMatchObject({ timezone: undefined, assets: ['BTC', 'ETH'] });
  });

  it('cron, quoted or with five bare fields, then zone and assets', () => {
    expect(ok('cron:"0 8 * * 1-5" America/New_York BTC')).toEqual({ when: 'cron:0 8 * * 1-5', expression: '0 8 * * 1-5', timezone: 'America/New_York', assets: ['BTC'] });
    expect(ok('cron:30 */6 * * * Asia/Tokyo')).toMatchObject({ expression: '30 */6 * * *', timezone: 'Asia/Tokyo', assets: undefined });
    expect(ok('cron: 0 * * * *').expression).toBe('0 * * * *');
  });

  it('rebuilds one line from Discord-style options and from the text binder alike', () => {
    // The text binder splits `cron:"0 8 * * 1-5"` on spaces; joining the options restores it.
    expect(setText({ when: 'cron:"0', timezone: '8', assets: '* * 1-5" Europe/Berlin BTC' })).toBe('cron:"0 8 * * 1-5" Europe/Berlin BTC');
    expect(ok(setText({ when: 'cron:"0', timezone: '8', assets: '* * 1-5" Europe/Berlin BTC' }))).toMatchObject({ expression: '0 8 * * 1-5', timezone: 'Europe/Berlin', assets: ['BTC'] });
    expect(ok(setText({ when: '08:00', assets: 'BTC ETH' }))).toMatchObject({ assets: ['BTC', 'ETH'] });
  });

  it.each(['25:00', '8am', '08:60', '0800', '-1:00', ''])('refuses the time "%s", naming what is valid', (text) => {
    const result = err(text);
    expect(result.error).toMatch(text ? /is not a time of day/ : /Say when/);
    expect(result.hint).toMatch(/HH:MM|cron/);
  });

  it('refuses an unknown zone and suggests a close one', () => {
    const typo = err('08:00 Europe/Berlim BTC');
    expect(typo.error).toBe('Unknown time zone "Europe/Berlim".');
    expect(typo.hint).toMatch(/Did you mean Europe\/Berlin/);
    const mars = err('08:00 Mars/Olympus');
    expect(mars.error).toMatch(/Unknown time zone "Mars\/Olympus"/);
    expect(mars.hint).toMatch(/UTC, Europe\/Berlin/);
  });

  it('refuses crons more often than hourly, malformed ones and the wrong field count', () => {
    expect(err('cron:"*/5 * * * *"').error).toMatch(/more often than hourly/);
    expect(err('cron:"0,30 8 * * *"').error).toMatch(/more often than hourly/);
    expect(err('cron:"61 8 * * *"').error).toMatch(/not a valid cron expression: 61/);
    expect(err('cron:"0 0 8 * * *"').error).toMatch(/5 fields .* has 6/);
    expect(err('cron:"0 8 * *').error).toMatch(/no closing quote/);
    expect(checkCron('0 */2 * * *')).toBeUndefined();
  });

  it('bounds hostile text: length, ticker shape, asset count, control characters', () => {
    expect(err(`08:00 ${'A'.repeat(MAX_SET_TEXT)}`).error).toMatch(/at most 200 are read/);
    const bad = err('08:00 UTC <script>alert(1)</script>');
    expect(bad.error).toMatch(/is not an asset ticker/);
    expect(err('08:00 A B C D E F G H I J K').error).toMatch(/11 assets; a digest covers at most 10/);
    expect(ok('08:00\u0000UTC\u0007BTC')).toMatchObject({ timezone: 'UTC', assets: ['BTC'] });
    expect(err(`${'9'.repeat(150)}:00`).error.length).toBeLessThan(80);
  });
});

describe('zones', () => {
  it('canonical names and suggestions for cities', () => {
    expect(canonicalZone('asia/tokyo')).toBe('Asia/Tokyo');
    expect(canonicalZone('Mars/Olympus')).toBeUndefined();
    expect(suggestZones('new york')).toContain('America/New_York');
  });
});
