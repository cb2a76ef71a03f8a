/**
 * `npm run build` produces JavaScript that runs on plain node, the way the Docker image and
 * `npm start` run it: compiled into a temp outDir, laid out like the image's /app (a
 * package.json and node_modules beside dist), then asked a question on the bundled replay.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
// tsc over the whole tree takes tens of seconds on a busy two-core machine.
const BUILD_TIMEOUT_MS = 240_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let app: string;
let build: Run;

beforeAll(async () => {
  app = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-build-'));
  build = await run('npm', ['run', 'build', '--', '--outDir', path.join(app, 'dist')], { cwd: ROOT });
  // What the image has beside dist: package.json ("type": "module") and the dependencies.
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(app, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'), 'dir');
}, BUILD_TIMEOUT_MS);

afterAll(() => {
  if (app) fs.rmSync(app, { recursive: true, force: true });
});

describe('npm run build', () => {
  it('compiles without errors', () => {
    expect(build.stdout + build.stderr).not.toMatch(/error TS\d+/);
    expect(build.code).toBe(0);
  });

  it('lays out dist/src and dist/commands side by side, with the replay snapshot beside its code', () => {
    const dist = path.join(app, 'dist');
    expect(fs.existsSync(path.join(dist, 'src', 'cli.js'))).toBe(true);
    expect(fs.readdirSync(path.join(dist, 'commands')).some((file) => file.endsWith('.js'))).toBe(true);
    expect(fs.existsSync(path.join(dist, 'src', 'market', 'replay', 'snapshot.json'))).toBe(true);
    // No test or bench code ships.
    expect(fs.existsSync(path.join(dist, 'test'))).toBe(false);
  });

  it('answers /basis BTC on the replay with node alone (no TypeScript loader)', async () => {
    const dataDir = path.join(app, 'data');
    const result = await run(process.execPath, [path.join(app, 'dist', 'src', 'cli.js'), 'ask', '--market', 'replay', '/basis BTC'], {
      cwd: app,
      // NODE_OPTIONS cleared: vitest's workers may carry a loader that would hide a missing build step.
      env: { DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_OPTIONS: '' },
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('BTC basis');
    expect(result.code).toBe(0);
    expect(fs.existsSync(dataDir)).toBe(true);
  }, 60_000);
});
