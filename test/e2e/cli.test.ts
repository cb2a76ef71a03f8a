import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/replay-app.js';

const BIN = path.resolve('bin/basisbot.js');
const dataDir = tempDataDir();

function run(args: string[], input?: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('basisbot ask', () => {
  it('--json --market replay "/basis BTC" returns curves for the four venues', async () => {
    const { code, stdout } = await run(['ask', '--json', '--market', 'replay', '/basis BTC']);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout);
    expect(parsed.ok).toBe(true);
    expect(parsed.command).toBe('/basis BTC');
    expect(parsed.data.curves.map((curve: { venue: string }) => curve.venue).sort()).toEqual(['binance', 'bybit', 'deribit', 'okx']);
    expect(parsed.data.failures).toEqual([]);
    for (const curve of parsed.data.curves) {
      expect(curve.spot).toMatchObject({ symbol: expect.any(String), price: expect.any(Number), priceSource: expect.stringMatching(/^(mid|mark|last)$/) });
      expect(curve.perp.funding).toMatchObject({ rate: expect.any(Number), intervalHours: expect.any(Number), annualizedRate: expect.any(Number) });
      for (const future of curve.futures) {
        const days = (Date.parse(future.expiry) - Date.parse(curve.asOf)) / 86_400_000;
        expect(future.daysToExpiry).toBeCloseTo(days, 6);
        expect(future.basisRate).toBeCloseTo((future.price - curve.spot.price) / curve.spot.price, 12);
        expect(future.annualizedRate).toBeCloseTo((future.basisRate * 365) / days, 10);
      }
    }
    expect(parsed.reply.title).toMatch(/BTC basis: contango/);
  });

  it('exits non-zero with close matches for an unknown asset', async () => {
    const { code, stdout } = await run(['ask', '--json', '--market', 'replay', '/basis SOLL']);
    expect(code).toBe(1);
    const parsed = JSON.parse(stdout);
    expect(parsed.ok).toBe(false);
    expect(JSON.stringify(parsed.reply)).toMatch(/Did you mean SOL/);
  });

  it('answers a malformed call with the usage line and a bad config with the variable name', async () => {
    const usage = await run(['ask', '--market', 'replay', '/top many']);
    expect(usage.code).toBe(1);
    expect(usage.stdout).toMatch(/Usage: \/top \[n\]/);
    const config = await run(['ask', '--market', 'replay', '/basis BTC'], undefined, { VENUES: 'binance,ftx' });
    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(/VENUES.*ftx/);
  });
});

describe('basisbot demo', () => {
  it('runs a scripted console session on the bundled replay and saves the chart', async () => {
    const script = ['basis SOL', '/curve ETH', '/funding SOL', 'refresh', '/explain contago', '/basis <b>&', '/nosuch', 'quit'].join('\n');
    const { code, stdout } = await run(['demo'], script);
    expect(code).toBe(0);
    expect(stdout).toMatch(/SOL basis: backwardation/);
    expect(stdout).toMatch(/reverse cash-and-carry/);
    expect(stdout).toMatch(/supply squeeze/i);
    expect(stdout).toMatch(/ETH term structure/);
    const chart = /Chart saved to (\S+\.png)/.exec(stdout)?.[1];
    expect(chart && fs.readFileSync(chart).subarray(1, 4).toString()).toBe('PNG');
    expect(stdout).toMatch(/SOL perpetual funding/);
    // The glossary forgives the misspelling: the contango entry itself, not the error's list of terms.
    expect(stdout).toMatch(/A market where futures trade above spot/);
    expect(stdout).not.toMatch(/No glossary entry for "contago"/);
    expect(stdout).toMatch(/is not an asset ticker/);
    expect(stdout).toMatch(/Unknown command \/nosuch/);
    expect(stdout.match(/SOL perpetual funding/g)?.length).toBe(2); // refresh re-ran the last good command
  });
});
