/**
 * bin/basisbot.js picks the compiled build only when it is at least as new as every source
 * file, and the TypeScript sources (through tsx) otherwise, so `npx basisbot` never runs a
 * stale dist/ after an edit and needs no build on a fresh clone. Checked on a scratch copy
 * whose entry points only say which one ran.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;

function write(relative: string, text: string, mtimeSeconds: number): void {
  const file = path.join(dir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  fs.utimesSync(file, mtimeSeconds, mtimeSeconds);
}

function ran(env: Record<string, string> = {}): string {
  const result = spawnSync(process.execPath, [path.join(dir, 'bin', 'basisbot.js')], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', BASISBOT_TSX: '', ...env } });
  expect(result.stderr).toBe('');
  return result.stdout.trim();
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-bin-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.copyFileSync(path.join(ROOT, 'bin', 'basisbot.js'), path.join(dir, 'bin', 'basisbot.js'));
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }');
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  // A type annotation: only tsx can run this file.
  write('src/cli.ts', "const from: string = 'sources';\nconsole.log(from);\n", 1_000);
  write('commands/basis.ts', 'export {};\n', 1_000);
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('bin/basisbot.js', () => {
  it('runs the sources through tsx when there is no build (a fresh clone)', () => {
    expect(ran()).toBe('sources');
  });

  it('runs dist/src/cli.js when it is newer than every source file', () => {
    write('dist/src/cli.js', "console.log('dist');\n", 2_000);
    expect(ran()).toBe('dist');
  });

  it('falls back to the sources when a file in src/ or commands/ changed after the build', () => {
    write('dist/src/cli.js', "console.log('dist');\n", 2_000);
    write('commands/basis.ts', 'export const edited = true;\n', 3_000);
    expect(ran()).toBe('sources');
    write('dist/src/cli.js', "console.log('dist');\n", 4_000);
    write('src/core/deep/file.ts', 'export {};\n', 5_000);
    expect(ran()).toBe('sources');
  });

  it('runs dist/ where there are no sources at all (the Docker image)', () => {
    fs.rmSync(path.join(dir, 'src'), { recursive: true });
    fs.rmSync(path.join(dir, 'commands'), { recursive: true });
    write('dist/src/cli.js', "console.log('dist');\n", 1);
    expect(ran()).toBe('dist');
  });

  it('BASISBOT_TSX=1 runs the sources despite a current build; =0 runs a build even when stale (the bench)', () => {
    write('dist/src/cli.js', "console.log('dist');\n", 2_000);
    expect(ran({ BASISBOT_TSX: '1' })).toBe('sources');
    write('src/cli.ts', "const from: string = 'sources';\nconsole.log(from);\n", 3_000);
    expect(ran()).toBe('sources');
    expect(ran({ BASISBOT_TSX: '0' })).toBe('dist');
  });
});
