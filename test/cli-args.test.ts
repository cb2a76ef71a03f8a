import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { marketMode, parseAskArgs, parseReplayServerArgs, UsageError } from '../src/cli-args.js';
import { ConfigError } from '../src/config.js';
import { FaultSpecError, parseFaultList } from '../src/market/replay/faults.js';

const BIN = path.resolve('bin/basisbot.js');

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-cli-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, stderr });
    });
  });
}

describe('command-line arguments (issue 11 item 14)', () => {
  it('maps unknown flags and bad values to UsageErrors naming the flag and what is valid', () => {
    expect(() => parseAskArgs(['--bogus', '/basis BTC'])).toThrow(new UsageError('ask: unknown option "--bogus"; options: --json, --market replay|live, then the command line, e.g. basisbot ask "/basis BTC"'));
    expect(() => parseAskArgs(['--market'])).toThrow(/--market needs a value/);
    expect(() => marketMode('moon', 'live')).toThrow(new UsageError('--market must be replay or live, not "moon"'));
    expect(marketMode(undefined, 'live')).toBe('live');
    expect(() => parseReplayServerArgs(['--bogus'])).toThrow(UsageError);
    expect(() => parseReplayServerArgs(['--port', '99999'])).toThrow(/--port must be a port number/);
  });

  it('reads everything from the first word on as the command line, dashes included', () => {
    expect(parseAskArgs(['/top', '-1'])).toEqual({ json: false, line: '/top -1' });
    expect(parseAskArgs(['--json', '--market=replay', '/basis', 'BTC', '--venue', 'okx'])).toEqual({ json: true, market: 'replay', line: '/basis BTC --venue okx' });
  });

  it('validates fault lists, naming the flag or the variable', () => {
    for (const spec of ['okx=explode', 'okx=slow:-5', 'okx=slow:abc', 'moon=down', 'okx', 'okx=down:5', 'okx=slow:99999999999']) {
      expect(() => parseFaultList(spec, '--faults'), spec).toThrow(FaultSpecError);
      expect(() => parseFaultList(spec, '--faults'), spec).toThrow(/^--faults: /);
    }
    expect(() => parseFaultList('okx=nope')).toThrow(/^REPLAY_FAULTS: unknown fault "nope" in "okx=nope"; use venue=kind/);
    expect(new FaultSpecError('x')).toBeInstanceOf(ConfigError);
    expect(parseFaultList('okx=down, bybit=slow:250,binance=stale')).toEqual({ okx: { kind: 'down' }, bybit: { kind: 'slow', delayMs: 250 }, binance: { kind: 'stale', ageMs: 600_000 } });
  });

  it('prints one line and exits 2, with no stack, for each case of the issue', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['ask', '--bogus'], {}, /--bogus/],
      [['start', '--market', 'moon'], {}, /--market must be replay or live/],
      [['replay-server', '--faults', 'okx=slow:-5'], {}, /--faults: the amount must be whole milliseconds/],
      [['ask', '--market', 'replay', '/basis BTC'], { REPLAY_FAULTS: 'okx=nope' }, /REPLAY_FAULTS: unknown fault "nope"/],
    ];
    const results = await Promise.all(cases.map(([args, env]) => run(args, env)));
    results.forEach(({ code, stderr }, index) => {
      expect(code, cases[index][0].join(' ')).toBe(2);
      expect(stderr).toMatch(cases[index][2]);
      expect(stderr).not.toMatch(/\n\s+at /); // no stack frames
      expect(stderr.split('\n')[0]).toMatch(/^basisbot: /);
    });
  }, 120_000); // four CLI start-ups (ccxt is slow to load on a busy machine)
});
