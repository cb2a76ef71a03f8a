/**
 * The service's edges: an error never touches a schedule already set, next runs name the UTC
 * date when it differs, a skipped slot is logged, and the API reads the store without start()
 * (`basisbot ask "/digest show"` never starts the features).
 */
import { describe, expect, it } from 'vitest';
import { chatTarget } from '../../src/digests/index.js';
import { captureLogger } from '../helpers/captured-log.js';
import { at, CONSOLE, group, useDigestHarness } from './harness.js';
import { memoryPush } from './memory-push.js';
import { replyText } from './reply-text.js';

describe('digest service edges', () => {
  const h = useDigestHarness();

  it('bad input names what is wrong and what is valid, and leaves the schedule already set as it was', async () => {
    h.clock = at('2026-12-01T07:00:00Z');
    await h.started(h.build(h.freshStores(), memoryPush()));
    const admin = group('-7001', true);
    expect((await h.ask('/digest set 08:00 Europe/Berlin BTC ETH', admin)).ok).toBe(true);
    const before = replyText((await h.ask('/digest show', admin)).reply);
    for (const [line, wrong, valid] of [
      ['/digest set 25:00 UTC BTC', /"25:00" is not a time of day/, /HH:MM on a 24-hour clock \(00:00 to 23:59\)/],
      ['/digest set 8am', /"8am" is not a time of day/, /HH:MM/],
      ['/digest set 08:00 Mars/Olympus BTC', /Unknown time zone "Mars\/Olympus"/, /"Mars" is not a region: zones start with Africa, America, .*Europe.*\. Use an IANA zone such as UTC, Europe\/Berlin/],
      ['/digest set 08:00 Europe/Berlim', /Unknown time zone "Europe\/Berlim"/, /Did you mean Europe\/Berlin/],
      ['/digest set cron:"*/30 * * * *"', /runs more often than hourly; a digest can run at most once an hour/, /cron:"0 \*\/6 \* \* \*" \(every 6 hours\)/],
      ['/digest set cron:"0 8 * * * *"', /a digest cron has 5 fields .* has 6/, /Examples: cron:"0 8 \* \* \*"/],
      ['/digest set cron:"0 25 * * *"', /is not a valid cron expression/, /Examples:/],
      ['/digest set 08:00 UTC DOGGE', /Unknown asset DOGGE: not listed on binance, okx, bybit, deribit/, /Did you mean DOGE/],
      ['/digest set 08:00 Berlin', /Unknown asset BERLIN/, /If it was a time zone: Europe\/Berlin/],
    ] as const) {
      const result = await h.ask(line, group('-7001', true)); // a new user each time: the flood limit is per user
      expect(result.ok, line).toBe(false);
      expect(replyText(result.reply), line).toMatch(wrong);
      expect(replyText(result.reply), line).toMatch(valid);
    }
    expect(replyText((await h.ask('/digest show', group('-7001', false))).reply)).toBe(before);
    expect(before).toMatch(/Every day at 08:00 in Europe\/Berlin: BTC, ETH\./);
  });

  it('a non-admin is told who may change it, and changes nothing', async () => {
    h.clock = at('2026-12-01T07:00:00Z');
    await h.started(h.build(h.freshStores(), memoryPush()));
    await h.ask('/digest set 08:00 UTC BTC', group('-7002', true));
    const refused = await h.ask('/digest set 09:00 UTC ETH', group('-7002', false));
    expect(replyText(refused.reply)).toMatch(/Only an admin of this chat can change its digest[\s\S]*Anyone can use \/digest show and \/digest now/);
    expect(replyText((await h.ask('/digest show', group('-7002', false))).reply)).toMatch(/Every day at 08:00 in UTC: BTC\./);
  });

  it('the next run is given in the chat zone and in UTC, with the UTC date when it is another day there', async () => {
    h.clock = at('2026-12-01T07:00:00Z');
    await h.started(h.build(h.freshStores(), memoryPush()));
    const tokyo = replyText((await h.ask('/digest set 08:00 Asia/Tokyo BTC')).reply);
    expect(tokyo).toMatch(/Next digest: Wed, 2 Dec 2026, 08:00 GMT\+9 \(Tue, 1 Dec 2026, 23:00 UTC\)/);
    const berlin = replyText((await h.ask('/digest set 08:00 Europe/Berlin BTC')).reply);
    expect(berlin).toMatch(/Next digest: Wed, 2 Dec 2026, 08:00 CET \(07:00 UTC\)/);
    const weekdays = replyText((await h.ask('/digest set cron:"30 7 * * 1-5" America/New_York')).reply);
    expect(weekdays).toMatch(/On cron "30 7 \* \* 1-5" in America\/New_York: BTC, ETH, SOL, XRP, DOGE \(the watch list\)\./);
    expect(weekdays).toMatch(/Next digest: Tue, 1 Dec 2026, 07:30 GMT-5 \(12:30 UTC\)/);
  });

  it('a slot missed by more than the grace period is skipped, and the skip is logged', async () => {
    const stores = h.freshStores();
    h.clock = at('2026-12-01T06:00:00Z');
    const first = await h.started(h.build(stores, memoryPush()));
    await h.ask('/digest set 08:00 UTC BTC', CONSOLE);
    await first.digests.stop();
    h.clock = at('2026-12-01T10:30:00Z');
    const { log, lines } = captureLogger('info');
    const second = await h.started(h.build(stores, memoryPush(), log));
    expect(second.delivery.queued).toHaveLength(0);
    expect(lines.find((line) => line.msg === 'digest skipped: missed by more than the grace period')).toMatchObject({ target: 'console:console', dueAt: '2026-12-01T08:00:00.000Z', graceMinutes: 120 });
  });

  it('show reads the store without start(), as a one-shot `basisbot ask` does', async () => {
    const stores = h.freshStores();
    h.clock = at('2026-12-01T07:00:00Z');
    const first = await h.started(h.build(stores, memoryPush()));
    await h.ask('/digest set 08:00 UTC SOL', group('-7003', true));
    await first.digests.stop();
    const cold = h.build(stores, memoryPush());
    expect((await cold.digests.show(chatTarget(group('-7003', false))))?.assets).toEqual(['SOL']);
  });
});
