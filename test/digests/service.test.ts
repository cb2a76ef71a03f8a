import { describe, expect, it } from 'vitest';
import { chatTarget } from '../../src/digests/index.js';
import { at, group, useDigestHarness } from './harness.js';
import { memoryPush } from './memory-push.js';
import { replyText } from './reply-text.js';

describe('digests against the real app on the replay', () => {
  const h = useDigestHarness();
  const ask = h.ask;
  const build = (stores = h.freshStores()) => h.build(stores, memoryPush());

  it('a digest due in the next minute is queued exactly once, with its chart', async () => {
    h.clock = at('2026-12-01T07:59:30Z');
    const { delivery, digests } = await h.started(build());
    const set = await ask('/digest set 08:00 UTC BTC SOL');
    expect(set.ok).toBe(true);
    expect(replyText(set.reply)).toMatch(/Every day at 08:00 in UTC: BTC, SOL\.\nNext digest: Tue, 1 Dec 2026, 08:00 UTC \(08:00 UTC\)/);
    for (const second of ['2026-12-01T07:59:59Z', '2026-12-01T08:00:00.300Z', '2026-12-01T08:00:40Z', '2026-12-01T08:01:00Z']) {
      h.clock = at(second);
      await digests.runDue(h.clock);
    }
    expect(delivery.queued).toHaveLength(1);
    const [message] = delivery.queued;
    expect(message.target).toEqual({ platform: 'console', chatId: 'console', kind: 'private' });
    expect(message.meta).toEqual({ owner: 'digests', id: 'console:console:2026-12-01T08:00:00.000Z' });
    expect(message.reply.title).toBe('Basis digest, Tuesday, 1 December 2026');
    expect(message.reply.image?.png.subarray(1, 4).toString()).toBe('PNG');
    expect(replyText(message.reply)).toMatch(/BTC: contango[\s\S]*SOL: backwardation/);
    expect(replyText(message.reply)).not.toMatch(/Late:/);
  });

  it('every chat due in a slot shares one market fetch per asset and one chart per asset list', async () => {
    h.clock = at('2026-12-01T07:00:00Z');
    const { delivery, digests, curveCalls, charts } = await h.started(build());
    for (const [chat, assets] of [['-1001', 'BTC SOL'], ['-1002', 'BTC SOL'], ['-1003', 'ETH'], ['-1004', '']] as const) {
      expect((await ask(`/digest set 08:00 UTC ${assets}`, group(chat, true))).ok).toBe(true);
    }
    curveCalls.length = 0;
    h.clock = at('2026-12-01T08:00:01Z');
    const report = await digests.runDue(h.clock);
    expect(delivery.queued.map((message) => message.target.chatId).sort()).toEqual(['-1001', '-1002', '-1003', '-1004']);
    expect(report).toMatchObject({ queued: 4, late: 0, skipped: 0, assetsFetched: 5 });
    expect(curveCalls.sort()).toEqual(['BTC', 'DOGE', 'ETH', 'SOL', 'XRP']);
    expect(charts.sort()).toEqual(['BTC, ETH, SOL, XRP, DOGE', 'BTC, SOL', 'ETH']);
  });

  it('/digest off stops it', async () => {
    h.clock = at('2026-12-01T07:00:00Z');
    const { delivery, digests } = await h.started(build());
    await ask('/digest set 08:00 UTC BTC');
    expect(replyText((await ask('/digest off')).reply)).toMatch(/Digest turned off/);
    h.clock = at('2026-12-01T08:00:00Z');
    await digests.runDue(h.clock);
    expect(delivery.queued).toHaveLength(0);
    expect(replyText((await ask('/digest show')).reply)).toMatch(/No digest is scheduled for this chat/);
  });

  it('a restart keeps schedules, and a slot missed while down is sent once, late, within the grace window', async () => {
    const stores = h.freshStores();
    h.clock = at('2026-12-01T07:00:00Z');
    const first = await h.started(build(stores));
    await ask('/digest set 08:00 Europe/Berlin BTC');
    await first.digests.stop();
    // Set at 07:00 UTC, which is 1 Dec's 08:00 Berlin slot itself: slots are due only after the set.
    h.clock = at('2026-12-02T08:30:00Z'); // down overnight; 2 Dec's slot (07:00 UTC) fell due 90 minutes ago
    const second = await h.started(build(stores));
    expect(replyText((await ask('/digest show')).reply)).toMatch(/Every day at 08:00 in Europe\/Berlin: BTC\./);
    await second.digests.runDue(at('2026-12-02T08:31:00Z'));
    expect(second.delivery.queued).toHaveLength(1);
    expect(second.delivery.queued[0].meta.id).toBe('console:console:2026-12-02T07:00:00.000Z');
    expect(replyText(second.delivery.queued[0].reply)).toMatch(/Late: this digest was due at Wed, 2 Dec 2026, 08:00 CET, while the bot was down/);
  });

  it('a slot missed by more than the grace window is skipped, and the next one goes out on time', async () => {
    const stores = h.freshStores();
    h.clock = at('2026-12-01T06:00:00Z');
    const first = await h.started(build(stores));
    await ask('/digest set 08:00 UTC BTC');
    await first.digests.stop();
    h.clock = at('2026-12-01T10:01:00Z'); // 121 minutes late, grace 120
    const second = await h.started(build(stores));
    expect(second.delivery.queued).toHaveLength(0);
    h.clock = at('2026-12-02T08:00:00Z');
    const report = await second.digests.runDue(h.clock);
    expect(report.queued).toBe(1);
    expect(replyText(second.delivery.queued[0].reply)).not.toMatch(/Late:/);
  });

  it('a chat reported unreachable is paused, /digest show says so, and set resumes it', async () => {
    h.clock = at('2026-12-01T07:00:00Z');
    const { delivery, digests } = await h.started(build());
    await ask('/digest set 08:00 UTC BTC', group('-2001', true));
    const target = chatTarget(group('-2001', true));
    await digests.owner.unreachable!(target, 'bot was kicked from the group chat');
    const show = await ask('/digest show', group('-2001', false));
    expect(replyText(show.reply)).toMatch(/Paused: this chat stopped accepting messages \(bot was kicked from the group chat\)/);
    h.clock = at('2026-12-01T08:00:00Z');
    await digests.runDue(h.clock);
    expect(delivery.queued).toHaveLength(0);
    const resumed = await ask('/digest set 09:00 UTC BTC', group('-2001', true));
    expect(replyText(resumed.reply)).toMatch(/Resumed/);
    expect(delivery.markedReachable).toEqual([target]);
    h.clock = at('2026-12-01T09:00:00Z');
    await digests.runDue(h.clock);
    expect(delivery.queued).toHaveLength(1);
  });

  it('an enqueue refused as unreachable pauses the chat too', async () => {
    h.clock = at('2026-12-01T07:00:00Z');
    const { delivery, digests } = await h.started(build());
    await ask('/digest set 08:00 UTC BTC', group('-3001', true));
    delivery.unreachable.add('telegram:-3001');
    h.clock = at('2026-12-01T08:00:00Z');
    expect((await digests.runDue(h.clock)).refused).toBe(1);
    expect((await digests.show(chatTarget(group('-3001', true))))?.paused?.reason).toMatch(/blocked/);
  });

  it('only admins change a group digest; anyone can show it or get it now; errors save nothing', async () => {
    h.clock = at('2026-12-01T07:00:00Z');
    const { delivery } = await h.started(build());
    const member = group('-4001', false);
    const refused = await ask('/digest set 08:00', member);
    expect(refused.ok).toBe(false);
    expect(replyText(refused.reply)).toMatch(/Only an admin of this chat can change its digest/);
    expect((await ask('/digest off', member)).ok).toBe(false);
    const admin = group('-4001', true);
    for (const [line, message] of [
      ['/digest set 25:00', /"25:00" is not a time of day/],
      ['/digest set 8am', /"8am" is not a time of day/],
      ['/digest set 08:00 Mars/Olympus', /Unknown time zone "Mars\/Olympus"/],
      ['/digest set cron:"*/10 * * * *"', /more often than hourly/],
      ['/digest set cron:"0 8 * *"', /5 fields .* has 4/],
      ['/digest set 08:00 UTC BTX', /Unknown asset BTX[\s\S]*Did you mean BTC/],
    ] as const) {
      const result = await ask(line, admin);
      expect(result.ok, line).toBe(false);
      expect(replyText(result.reply), line).toMatch(message);
    }
    expect(replyText((await ask('/digest show', member)).reply)).toMatch(/No digest is scheduled/);
    const now = await ask('/digest now', member);
    expect(now.ok).toBe(true);
    expect(now.reply.title).toBe('Basis digest, Tuesday, 1 December 2026');
    expect(now.reply.image).toBeDefined();
    expect(delivery.queued).toHaveLength(0);
  });
  it('fires at 08:00 Berlin on both sides of the spring-forward (28 March 2027): 07:00 UTC, then 06:00 UTC', async () => {
    h.clock = at('2027-03-26T12:00:00Z');
    const { delivery, digests } = await h.started(build());
    await ask('/digest set 08:00 Europe/Berlin BTC');
    for (const instant of ['2027-03-27T06:00:00Z', '2027-03-27T07:00:00Z', '2027-03-28T05:00:00Z', '2027-03-28T06:00:00Z', '2027-03-28T07:00:00Z']) {
      h.clock = at(instant);
      await digests.runDue(h.clock);
    }
    expect(delivery.queued.map((message) => message.meta.id)).toEqual(['console:console:2027-03-27T07:00:00.000Z', 'console:console:2027-03-28T06:00:00.000Z']);
    expect(delivery.queued.map((message) => message.reply.title)).toEqual(['Basis digest, Saturday, 27 March 2027', 'Basis digest, Sunday, 28 March 2027']);
    expect(replyText(delivery.queued[1].reply)).not.toMatch(/Late:/);
  });

  it('a pause survives a restart', async () => {
    const stores = h.freshStores();
    h.clock = at('2026-12-01T07:00:00Z');
    const first = await h.started(build(stores));
    await ask('/digest set 08:00 UTC BTC', group('-6001', true));
    await first.digests.owner.unreachable!(chatTarget(group('-6001', true)), 'bot was blocked by the user');
    await first.digests.stop();
    const second = await h.started(build(stores));
    expect((await second.digests.show(chatTarget(group('-6001', true))))?.paused?.reason).toBe('bot was blocked by the user');
    h.clock = at('2026-12-01T08:00:00Z');
    await second.digests.runDue(h.clock);
    expect(second.delivery.queued).toHaveLength(0);
  });
});
