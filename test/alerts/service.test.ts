import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractSeries } from '../../src/alerts/metrics.js';
import { startReplayServer, type ReplayServer } from '../../src/market/replay/server.js';
import type { VenueId } from '../../src/market/types.js';
import { tempDataDir } from '../helpers/replay-app.js';
import { startAlerts, telegramUser, testClock, type AlertsHarness } from './harness.js';

const MINUTE = 60_000;
const alice = telegramUser('1001');

/**
 * SOL on the replay is backwardated: its front contracts on binance and okx trade at about
 * -13% and -15% a year. `setFront` shifts each venue so its front sits at the given rate.
 */
describe('alerts on the real app over the replay', () => {
  const clock = testClock();
  let server: ReplayServer;
  let dataDir: string;
  let h: AlertsHarness;
  let base: Record<string, number>;

  async function setFront(apr: number): Promise<void> {
    for (const venue of Object.keys(base)) server.shift({ asset: 'SOL', venue: venue as VenueId, apr: apr - base[venue] });
    clock.advance(10_000); // past the quote cache's 5 s
  }

  beforeAll(async () => {
    server = await startReplayServer({ clock: clock.now });
    dataDir = tempDataDir();
    h = await startAlerts({ clock, dataDir, server });
    const points = extractSeries(await h.replay.app.market.curves('SOL'), 'apr', 'front');
    base = Object.fromEntries(points.map((p) => [p.key, p.value]));
  });
  afterAll(async () => {
    await h.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('SOL apr above 0%: silent while backwardated, one message naming both venues when it crosses, none inside the band, a second after band and cooldown', async () => {
    expect(Object.keys(base).sort()).toEqual(['binance', 'okx']);
    const added = await h.say('/alert add SOL apr above 0%', alice);
    expect(added.ok).toBe(true);
    expect(added.text).toMatch(/Alert #1: SOL annualized basis of the front contract goes above 0\.00% on any venue/);
    expect(added.text).toMatch(/binance SOL\/USD:SOL-261225 -1\d\.\d\d%/);
    expect(added.text).not.toContain('already holds');
    expect(added.actions).toEqual(['/alert pause 1', '/alert remove 1']);

    await h.feature.tick();
    expect(h.push.queued).toHaveLength(0);

    await setFront(0.02);
    await h.feature.tick();
    expect(h.push.queued).toHaveLength(1);
    const [message] = h.push.queued;
    expect(message.target).toEqual({ platform: 'telegram', chatId: '1001', kind: 'private' });
    expect(message.id).toBe('1:1');
    expect(message.text).toContain('It went above on binance, okx.');
    expect(message.text).toMatch(/binance: \+2\.0\d% \(SOL\/USD:SOL-261225\)/);
    expect(message.text).toMatch(/okx: \+2\.0\d% \(SOL\/USD:SOL-261204\)/);
    expect(message.text).toContain('threshold: 0.00%');
    expect(message.text).toContain('time: 2026-12-01 12:00 UTC');
    expect(message.text).toMatch(/\nSOL is (in contango|mixed): [^\n]*\.$/);
    expect(message.reply.actions?.map((a) => a.id)).toEqual(['/alert pause 1', '/alert remove 1']);
    await h.push.deliver();

    for (const apr of [-0.005, 0.005, -0.008, 0.01]) {
      await setFront(apr);
      await h.feature.tick();
    }
    expect(h.push.queued).toHaveLength(0);

    await setFront(-0.015); // back past the threshold by the 1-point band: re-armed
    await h.feature.tick();
    await setFront(0.02); // a crossing, but inside the 1 h cooldown
    await h.feature.tick();
    expect(h.push.queued).toHaveLength(0);
    const listed = await h.say('/alert list', alice);
    expect(listed.text).toContain('cooling down');

    clock.advance(61 * MINUTE);
    await h.feature.tick();
    expect(h.push.queued.map((m) => m.id)).toEqual(['1:2']);
    await h.push.deliver();
    await setFront(-0.1);
  });

  it('says so at once when the condition already holds, and counts it as fired', async () => {
    const added = await h.say('/alert add SOL apr below 0% okx cooldown=5m', alice);
    expect(added.ok).toBe(true);
    expect(added.text).toContain('It already holds on okx');
    await h.feature.tick();
    expect(h.push.queued).toHaveLength(0);
    await h.say('/alert remove 2', alice);
  });

  it('only the owner sees, pauses or removes a rule; a wrong id is the same "no such alert"', async () => {
    const bob = telegramUser('2002');
    const list = await h.say('/alert list', bob);
    expect(list.text).toContain('You have no alerts');
    for (const line of ['/alert remove 1', '/alert pause 1', '/alert remove 99', '/alert resume x']) {
      const refused = await h.say(line, bob);
      expect(refused.ok, line).toBe(false);
      expect(refused.text).toContain('no such alert');
    }
    expect(h.feature.rules().find((r) => r.id === 1)?.status).toBe('active');
    expect((await h.say('/alert list', alice)).text).toMatch(/1 \| SOL annualized basis/);
  });

  it('"here" in a group needs an admin; a DM the platform would refuse is not saved and "here" is suggested', async () => {
    const group = { id: '-500', kind: 'group' as const };
    const member = telegramUser('3003', group, false);
    const refused = await h.say('/alert add ETH state here', member);
    expect(refused.ok).toBe(false);
    expect(refused.text).toContain('here: only an admin of this chat');

    h.push.setCanReach({ platform: 'telegram', chatId: '3003', kind: 'private' }, false);
    const noDm = await h.say('/alert add ETH state', member);
    expect(noDm.ok).toBe(false);
    expect(noDm.text).toContain('cannot send you a direct message');
    expect(noDm.text).toContain('"here"');
    expect(h.feature.rules().filter((r) => r.owner.userId === '3003')).toEqual([]);

    const admin = telegramUser('3004', group, true);
    const posted = await h.say('/alert add ETH state here', admin);
    expect(posted.ok).toBe(true);
    const rule = h.feature.rules().find((r) => r.owner.userId === '3004')!;
    expect(rule.target).toEqual({ platform: 'telegram', chatId: '-500', kind: 'group' });
  });

  it('bad input names the field; unknown assets get suggestions; tenors are checked against the venue', async () => {
    const cases: [string, RegExp][] = [
      ['/alert add ETHH apr above 1%', /asset: unknown asset ETHH.*\n.*Did you mean ETH/],
      ['/alert add SOL apr above 1% bybit', /tenor: SOL has no front contract on bybit\.\nVenues with dated SOL futures: binance, okx/],
      ['/alert add SOL apr above 1% okx 2027-01-15', /tenor: SOL has no contract expiring 2027-01-15 on okx\.\nExpiries listed on okx: 2026-12-04, 2026-12-11, 2026-12-25, 2027-03-26/],
      ['/alert add SOL funding above 1% front', /tenor: funding is paid on the perpetual/],
      ['/alert add SOL apr above 1% here-and-there', /rule: "here-and-there" is not a direction/],
      ['/alert add SOL apr above 1% cooldown=10s', /cooldown: must be at least 1m/],
      ['/alert add SOL apy above 1%', /metric must be one of apr, basis, funding, spread, state/],
    ];
    for (const [line, expected] of cases) {
      const reply = await h.say(line, alice);
      expect(reply.ok, line).toBe(false);
      expect(reply.text, line).toMatch(expected);
    }
  });

  it('stops at ALERTS_PER_USER', async () => {
    const carol = telegramUser('4004');
    for (let i = 0; i < 3; i += 1) expect((await h.say(`/alert add BTC funding above ${50 + i}%`, carol)).ok).toBe(true);
    const fourth = await h.say('/alert add BTC funding above 60%', carol);
    expect(fourth.ok).toBe(false);
    expect(fourth.text).toContain('limit: you have 3 alerts');
    expect((await h.say('/alert remove all', carol)).text).toMatch(/Removed #\d+, #\d+, #\d+/);
  });

  it('a blocked DM pauses the rules (persisted); the owner is told once on the next /alert command', async () => {
    const dave = telegramUser('5005');
    expect((await h.say('/alert add BTC apr above 50%', dave)).ok).toBe(true);
    await h.push.block({ platform: 'telegram', chatId: '5005', kind: 'private' });
    const first = await h.say('/alert list', dave);
    expect(first.text).toContain('Your alerts were paused');
    expect(first.text).toContain('target unreachable');
    expect((await h.say('/alert list', dave)).text).not.toContain('Your alerts were paused');
    expect((await h.say('/alert resume all', dave)).ok).toBe(true);
    expect(h.push.service.isUnreachable({ platform: 'telegram', chatId: '5005', kind: 'private' })).toBe(false);
    expect((await h.say('/alert list', dave)).text).toMatch(/\| armed \|/);
  });

  it('works from the console (user console) and from Discord typed options, delivering to the right place', async () => {
    const consoleCaller = { user: { id: 'console' }, chat: { id: 'console', kind: 'private' as const }, platform: 'console' as const, isAdmin: true };
    const fromConsole = await h.say('/alert add BTC funding above 80% binance', consoleCaller);
    expect(fromConsole.ok).toBe(true);
    expect(h.feature.rules().at(-1)).toMatchObject({ owner: { platform: 'console', userId: 'console' }, target: { platform: 'console', chatId: 'console' } });

    const discordCaller = { user: { id: '77' }, chat: { id: 'chan-9', kind: 'group' as const }, platform: 'discord' as const, isAdmin: false };
    const typed = await h.dispatcher.run('alert add', { asset: 'ETH', metric: 'basis', direction: 'below', value: '-1', venue: 'okx', tenor: 'next', cooldown: '30m', band: '0.05' }, discordCaller);
    expect(typed.ok).toBe(true);
    expect(h.feature.rules().at(-1)).toMatchObject({
      owner: { platform: 'discord', userId: '77' },
      target: { platform: 'discord', chatId: '77', dm: true },
      spec: { asset: 'ETH', metric: 'basis', direction: 'below', threshold: -0.01, venue: 'okx', tenor: 'next', cooldownMs: 1_800_000, band: 0.0005 },
    });
    const badValue = await h.dispatcher.run('alert add', { asset: 'ETH', metric: 'apr', direction: 'above', value: 'lots' }, discordCaller);
    expect(badValue.reply.blocks[0]).toEqual({ kind: 'text', text: 'value: "lots" is not a number.' });
    const list = await h.dispatcher.run('alert list', {}, discordCaller);
    expect(h.dispatcher.find('alert list')?.personal).toBe(true);
    expect(list.reply.actions?.map((a) => a.id)).toEqual([expect.stringMatching(/^\/alert pause \d+$/), expect.stringMatching(/^\/alert remove \d+$/)]);
  });

  it('a rule on a dated contract sends a last message at expiry and leaves the list', async () => {
    const erin = telegramUser('6006');
    const added = await h.say('/alert add SOL basis below -50% okx 2026-12-04', erin);
    expect(added.ok).toBe(true);
    const id = (added.data as { id: number }).id;
    await h.push.deliver();
    clock.advance(Date.parse('2026-12-04T08:00:00Z') - clock.now() + 60_000);
    await h.feature.tick();
    const last = h.push.queued.filter((m) => m.target.chatId === '6006');
    expect(last.map((m) => m.id)).toEqual([`${id}:1`]);
    expect(last[0].text).toContain(`Alert #${id} (SOL basis rate of the contract expiring 2026-12-04 goes below -50.00% on okx) is retired`);
    expect((await h.say('/alert list', erin)).text).toContain('You have no alerts');
    await h.push.deliver();
    expect(h.feature.rules().some((r) => r.id === id)).toBe(false);
  });
});
