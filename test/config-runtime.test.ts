import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.js';
import { startRuntime } from '../src/runtime.js';

/**
 * Issue 11 items 10, 11, 12, 17: storage problems stop startRuntime with a ConfigError
 * (one line, exit 2 in src/cli.ts) before the app is built, instead of a raw ENOTDIR stack,
 * venues that "time out", or a silent hang on an unreachable Redis.
 */
async function refusal(env: Record<string, string>): Promise<unknown> {
  const runtime = await startRuntime('replay', { LOG_LEVEL: 'silent', ...env }).catch((error: unknown) => error);
  if (runtime && typeof runtime === 'object' && 'close' in runtime) await (runtime as { close(): Promise<void> }).close();
  return runtime;
}

describe('startRuntime checks storage before building the app', () => {
  it('refuses a DATA_DIR through a file (item 10) naming the variable, on one line', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-cfg-')), 'a-file');
    fs.writeFileSync(file, 'x');
    const error = await refusal({ DATA_DIR: path.join(file, 'sub') });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^DATA_DIR=.+ is not a writable directory: a part of the path is a file/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('refuses a DATA_DIR under /proc (item 17) instead of letting venues time out', async () => {
    const error = await refusal({ DATA_DIR: '/proc/basisbot-data' });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^DATA_DIR=\/proc\/basisbot-data is not a writable directory/);
  });

  it('refuses an unreachable Redis (item 11) with a bounded connect, naming STORE_URL', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-cfg-'));
    const error = await refusal({ DATA_DIR: dataDir, STORE_URL: 'redis://127.0.0.1:1' });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^STORE_URL=redis:\/\/127\.0\.0\.1:1: (cannot connect|no answer within)/);
  });

  it('refuses an unknown store scheme (item 12) instead of falling back to SQLite', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-cfg-'));
    const error = await refusal({ DATA_DIR: dataDir, STORE_URL: 'mysql://u@127.0.0.1/db' });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/STORE_URL: must start with redis:\/\/, rediss:\/\/ or sqlite:\/\//);
  });
});
