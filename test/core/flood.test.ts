/**
 * The per-user flood limit in the Dispatcher, on a clock the test moves by hand.
 */
import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Caller, Command, CommandContext, Platform } from '../../src/core/command.js';
import { Dispatcher } from '../../src/core/dispatch.js';
import { FLOOD_LIMIT, FLOOD_WINDOW_MS, FloodLimit } from '../../src/core/flood-limit.js';
import type { Services } from '../../src/core/services.js';

const log = pino({ level: 'silent' });
let clock = 0;
let runs = 0;
const context: CommandContext = { services: {} as Services, now: () => clock };
const ping: Command = {
  name: 'ping',
  description: 'ping',
  options: [],
  async run() {
    runs += 1;
    return { ok: true, reply: { blocks: [{ kind: 'text', text: 'pong' }] } };
  },
};

function caller(id: string, platform: Platform = 'telegram'): Caller {
  return { user: { id }, chat: { id: 'group-1', kind: 'group' }, platform };
}

const text = (result: unknown): string => JSON.stringify(result);

beforeEach(() => {
  clock = 1_000_000;
  runs = 0;
});

describe('Dispatcher flood limit', () => {
  it(`lets ${FLOOD_LIMIT} commands through per window, says "slow down" once, then drops silently`, async () => {
    const dispatcher = new Dispatcher([ping], context, log);
    const alice = caller('alice');
    for (let i = 0; i < FLOOD_LIMIT; i += 1) expect(await dispatcher.handleText('/ping', alice)).toMatchObject({ ok: true });

    const warning = await dispatcher.handleText('/ping', alice);
    expect(warning).toMatchObject({ ok: false, reply: { tone: 'error' } });
    expect(text(warning)).toContain('faster than I can answer');
    expect(text(warning)).toContain(`wait ${FLOOD_WINDOW_MS / 1000} s`);
    expect(await dispatcher.handleText('/ping', alice)).toBeUndefined();
    expect(await dispatcher.handleText('/nosuchcommand', alice)).toBeUndefined();
    expect(runs).toBe(FLOOD_LIMIT);
  });

  it('frees a slot when the oldest command leaves the window, and warns again in the next flood', async () => {
    const dispatcher = new Dispatcher([ping], context, log);
    const alice = caller('alice');
    for (let i = 0; i < FLOOD_LIMIT; i += 1) {
      await dispatcher.handleText('/ping', alice);
      clock += 100;
    }
    expect(text(await dispatcher.handleText('/ping', alice))).toContain('faster than I can answer');
    // Spamming while dropped does not push the window back.
    for (let i = 0; i < 20; i += 1) expect(await dispatcher.handleText('/ping', alice)).toBeUndefined();

    clock = 1_000_000 + FLOOD_WINDOW_MS - 1;
    expect(await dispatcher.handleText('/ping', alice)).toBeUndefined();
    clock += 1;
    expect(await dispatcher.handleText('/ping', alice)).toMatchObject({ ok: true });
    expect(text(await dispatcher.handleText('/ping', alice))).toContain('faster than I can answer');
    expect(runs).toBe(FLOOD_LIMIT + 1);
  });

  it('counts per platform and user: the flood of one never blocks another', async () => {
    const dispatcher = new Dispatcher([ping], context, log);
    for (let i = 0; i <= FLOOD_LIMIT + 1; i += 1) await dispatcher.handleText('/ping', caller('alice'));
    expect(await dispatcher.handleText('/ping', caller('bob'))).toMatchObject({ ok: true });
    expect(await dispatcher.handleText('/ping', caller('alice', 'discord'))).toMatchObject({ ok: true });
  });

  it('run() (Discord interactions, which must be answered) returns an error instead of nothing', async () => {
    const dispatcher = new Dispatcher([ping], context, log);
    const alice = caller('alice', 'discord');
    for (let i = 0; i < FLOOD_LIMIT; i += 1) expect(await dispatcher.run('ping', {}, alice)).toMatchObject({ ok: true });
    expect(text(await dispatcher.run('ping', {}, alice))).toContain('faster than I can answer');
    const dropped = await dispatcher.run('ping', {}, alice);
    expect(dropped).toMatchObject({ ok: false, reply: { tone: 'error' } });
    expect(text(dropped)).toContain('Too many commands');
    expect(await dispatcher.handleText('/ping', alice, undefined, { mustAnswer: true })).toMatchObject({ ok: false });
    expect(runs).toBe(FLOOD_LIMIT);
  });

  it('does not count lines addressed to another bot', async () => {
    const dispatcher = new Dispatcher([ping], context, log);
    const alice = caller('alice');
    for (let i = 0; i < 3 * FLOOD_LIMIT; i += 1) expect(await dispatcher.handleText('/ping@otherbot', alice, 'basisbot')).toBeUndefined();
    expect(await dispatcher.handleText('/ping', alice, 'basisbot')).toMatchObject({ ok: true });
  });

  it('exempts the console, so a piped demo script runs every line', async () => {
    const dispatcher = new Dispatcher([ping], context, log);
    const results = [];
    for (let i = 0; i < 5 * FLOOD_LIMIT; i += 1) results.push(await dispatcher.handleText('/ping', caller('console', 'console')));
    expect(results.every((result) => result?.ok)).toBe(true);
  });

  it('can be tuned or turned off', async () => {
    const tight = new Dispatcher([ping], context, log, { flood: { limit: 1, windowMs: 1_000 } });
    expect(await tight.handleText('/ping', caller('alice'))).toMatchObject({ ok: true });
    expect(await tight.handleText('/ping', caller('alice'))).toMatchObject({ ok: false });
    const off = new Dispatcher([ping], context, log, { flood: false });
    for (let i = 0; i < 3 * FLOOD_LIMIT; i += 1) expect(await off.handleText('/ping', caller('alice'))).toMatchObject({ ok: true });
  });
});

describe('FloodLimit', () => {
  it('forgets users whose window has emptied', () => {
    const limit = new FloodLimit({ limit: 2, windowMs: 1_000 });
    for (let user = 0; user < 100; user += 1) limit.check(`telegram:${user}`, 0);
    expect(limit.size).toBe(100);
    limit.check('telegram:late', 1_000);
    expect(limit.size).toBe(1);
  });

  it('tells how long until a slot frees', () => {
    const limit = new FloodLimit({ limit: 2, windowMs: 1_000 });
    limit.check('k', 0);
    limit.check('k', 400);
    expect(limit.check('k', 500)).toEqual({ kind: 'warn', retryInMs: 500 });
    expect(limit.check('k', 900)).toEqual({ kind: 'drop', retryInMs: 100 });
    expect(limit.check('k', 1_000)).toEqual({ kind: 'allow' });
  });
});
