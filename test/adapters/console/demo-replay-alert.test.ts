/**
 * The demo as a new user tries alerts: set one in the console, move the bundled market with
 * `replay shift`, and the alert prints between prompts once per crossing. The real app (ccxt
 * on the replay, SQLite, the outbox) behind the console adapter; the test fires each alert
 * tick by hand on a clock it moves, so "nothing more arrived" is a fact about a finished tick.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../../src/adapters/console/adapter.js';
import { runReplayLine, REPLAY_USAGE, type ReplayControl } from '../../../src/adapters/console/replay-control.js';
import { runRepl } from '../../../src/adapters/console/repl.js';
import { SCHEDULE_NAME } from '../../../src/alerts/index.js';
import type { ReplayShift } from '../../../src/market/replay/shift.js';
import { movableClock } from '../../helpers/movable-clock.js';
import { startReplayApp, type ReplayApp } from '../../helpers/replay-app.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function recordingControl() {
  const shifts: ReplayShift[] = [];
  let resets = 0;
  const control: ReplayControl = { shift: (shift) => shifts.push(shift), resetShifts: () => (resets += 1) };
  return { control, shifts, resets: () => resets };
}

describe('replay lines in the demo', () => {
  it('reads points as fractions, on one venue or all, and leaves other lines to the bot', () => {
    const { control, shifts, resets } = recordingControl();
    expect(runReplayLine('replay shift sol apr +30', control)).toMatch(/SOL annualized basis .* \+30 points .* every venue/);
    expect(runReplayLine('replay shift BTC funding -20% okx', control)).toMatch(/BTC annualized perp funding .* -20 points .* okx/);
    expect(shifts).toEqual([
      { asset: 'SOL', apr: 0.3 },
      { asset: 'BTC', venue: 'okx', funding: -0.2 },
    ]);
    expect(runReplayLine('replay reset', control)).toMatch(/back to the snapshot/);
    expect(resets()).toBe(1);
    expect(runReplayLine('/basis BTC', control)).toBeUndefined();
    expect(runReplayLine('replayed', control)).toBeUndefined();
    expect(runReplayLine('replay', control)).toBe(REPLAY_USAGE);
  });

  it('refuses what it cannot read, names why, and moves nothing', () => {
    const { control, shifts } = recordingControl();
    expect(runReplayLine('replay shift SOL apr lots', control)).toMatch(/Could not read "replay shift SOL apr lots"[\s\S]*replay shift <asset> apr/);
    expect(runReplayLine('replay shift SOL apr 30 kraken', control)).toMatch(/refused: venue must be one of binance, okx, bybit, deribit/);
    expect(runReplayLine('replay shift SOL apr 5000', control)).toMatch(/refused: apr must be a fraction between -10 and 10/);
    expect(shifts).toEqual([]);
  });
});

describe('demo: an alert set in the console fires once when the replay moves', () => {
  async function demo() {
    const clock = movableClock(Date.now());
    const replay: ReplayApp = await startReplayApp({ env: { ALERT_CHECK_SECONDS: '3600' }, server: { clock: clock.now } });
    cleanups.push(() => replay.close());
    const pushed: string[] = [];
    replay.app.connect(new ConsoleAdapter({ write: (text) => pushed.push(text), dataDir: replay.dataDir, color: false }));
    await replay.app.start();
    /** One scripted console session (it ends at EOF), returning what it printed. */
    const type = async (...lines: string[]) => {
      const input = new PassThrough();
      const output = new PassThrough();
      const printed: string[] = [];
      output.on('data', (chunk: Buffer) => printed.push(chunk.toString('utf8')));
      const done = runRepl(replay.app.dispatcher, {
        input,
        output,
        dataDir: replay.dataDir,
        color: false,
        banner: '',
        local: (line) => runReplayLine(line, replay.server),
      });
      input.end(`${lines.join('\n')}\n`);
      await done;
      return printed.join('');
    };
    const tick = async (advanceMs = 10_000) => {
      clock.set(clock.now() + advanceMs); // at least past the 5 s quote cache
      await replay.app.scheduler.runNow(SCHEDULE_NAME);
      await replay.app.outbox.whenIdle();
    };
    const alerts = () => pushed.filter((text) => /SOL/.test(text) && /above 0/.test(text));
    return { type, tick, alerts, pushed };
  }

  it('prints the crossing once, stays quiet while the market stays there, and again after a new crossing', async () => {
    const { type, tick, alerts, pushed } = await demo();
    const added = await type('/alert add SOL apr above 0%');
    expect(added).toMatch(/Alert #1: SOL annualized basis of the front contract goes above 0.00% on any venue/);
    expect(added).toMatch(/printed in this console/); // the console has no direct messages to speak of
    expect(added).not.toMatch(/direct message/);
    await tick();
    expect(pushed).toEqual([]); // SOL's front sits near -13% a year in the snapshot

    expect(await type('replay shift SOL apr +30')).toMatch(/Replay: SOL annualized basis/);
    await tick();
    expect(alerts()).toHaveLength(1);
    await tick();
    await tick();
    expect(alerts()).toHaveLength(1); // told once per crossing

    await type('replay reset');
    await tick(); // back below: re-armed, nothing sent
    expect(alerts()).toHaveLength(1);
    await type('replay shift SOL apr +30');
    await tick();
    expect(alerts()).toHaveLength(1); // inside the default 1 h cooldown
    await tick(60 * 60_000);
    expect(alerts()).toHaveLength(2);
  });
});
