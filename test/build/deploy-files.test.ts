/**
 * No Docker daemon runs in CI, so the image is never built there: these checks tie the
 * Dockerfile, .dockerignore and compose.yaml to what CI does build and run (npm ci, the
 * build script, the file it emits, the variables the config reads), so they cannot drift
 * apart unnoticed. build.test.ts runs the same steps for real.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config.js';
import { OPS_CONFIG_SHAPE } from '../../src/ops/config.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; engines: { node: string } };

/** Dockerfile instructions with continuation lines joined, comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

const dockerfile = instructions(read('Dockerfile'));
const stages = (() => {
  const result: { op: string; args: string }[][] = [];
  for (const instruction of dockerfile) {
    if (instruction.op === 'FROM') result.push([]);
    result.at(-1)?.push(instruction);
  }
  return result;
})();
const [buildStage, runtimeStage] = stages;
const runs = (stage: { op: string; args: string }[]) => stage.filter((i) => i.op === 'RUN').map((i) => i.args).join('\n');

/** Where tsconfig.build.json sends src/cli.ts, as `npm run build` compiles it. */
function compiledCli(): string {
  const file = path.join(ROOT, 'tsconfig.build.json');
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, file);
  const { outDir, rootDir } = parsed.options;
  if (!outDir || !rootDir) throw new Error('tsconfig.build.json needs outDir and rootDir');
  return path.relative(ROOT, path.join(outDir, path.relative(rootDir, path.join(ROOT, 'src', 'cli.ts')))).replace(/\.ts$/, '.js');
}

describe('Dockerfile', () => {
  it('has a build stage and a runtime stage on the Node major that engines names', () => {
    expect(stages).toHaveLength(2);
    const major = /(\d+)\./.exec(pkg.engines.node)?.[1];
    expect(major).toBeDefined();
    const image = /ARG NODE_IMAGE=(\S+)/.exec(read('Dockerfile'))?.[1] ?? '';
    expect(image).toMatch(new RegExp(`^node:${major}(\\.|-|$)`));
    expect(buildStage[0].args).toMatch(/\$\{NODE_IMAGE\} AS build/);
    expect(runtimeStage[0].args).toMatch(/\$\{NODE_IMAGE\} AS runtime/);
  });

  it('builds the way CI installs: npm ci from the lock file, the build script, then prune', () => {
    expect(read('.ci/run')).toMatch(/npm ci\b/);
    const script = runs(buildStage);
    expect(script).toMatch(/npm ci\b/);
    expect(script).toMatch(/npm run build\b/);
    expect(script).toMatch(/npm prune --omit=dev/);
    expect(script.indexOf('npm run build')).toBeLessThan(script.indexOf('npm prune'));
    expect(pkg.scripts.build).toContain('tsconfig.build.json');
    // Native sqlite3 may compile here.
    expect(script).toMatch(/python3/);
    expect(script).toMatch(/g\+\+/);
    const copied = buildStage.filter((i) => i.op === 'COPY').map((i) => i.args).join('\n');
    for (const needed of ['package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'commands']) expect(copied).toContain(needed);
  });

  it('starts the file `npm run build` emits, the same one `npm start` runs', () => {
    const cli = compiledCli();
    expect(cli).toBe(path.join('dist', 'src', 'cli.js'));
    const cmd = runtimeStage.find((i) => i.op === 'CMD');
    expect(JSON.parse(cmd?.args ?? 'null')).toEqual(['node', cli, 'start']);
    expect(pkg.scripts.start).toBe(`node ${cli} start`);
    const copied = runtimeStage.filter((i) => i.op === 'COPY').map((i) => i.args).join('\n');
    expect(copied).toMatch(/--from=build \/app\/dist/);
    expect(copied).toMatch(/--from=build \/app\/node_modules/);
  });

  it('runs as a non-root user with fonts, DATA_DIR as a volume and a node health check on /healthz', () => {
    expect(runs(runtimeStage)).toContain('fonts-dejavu-core');
    const user = runtimeStage.filter((i) => i.op === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)$/);
    const env = runtimeStage.filter((i) => i.op === 'ENV').map((i) => i.args).join(' ');
    expect(env).toContain('DATA_DIR=/app/data');
    expect(env).toMatch(/HTTP_PORT=\d+/);
    expect(runtimeStage.find((i) => i.op === 'VOLUME')?.args).toContain('/app/data');
    expect(runtimeStage.find((i) => i.op === 'WORKDIR')?.args).toBe('/app');
    const health = runtimeStage.find((i) => i.op === 'HEALTHCHECK')?.args ?? '';
    expect(health).toContain('/healthz');
    expect(health).toContain('process.env.HTTP_PORT');
    expect(health).not.toMatch(/\bcurl\b|\bwget\b/);
  });
});

describe('.dockerignore', () => {
  const ignored = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

  it('keeps host binaries, secrets and local state out of the build context', () => {
    for (const entry of ['node_modules', 'dist', '.env', 'data', '.git']) expect(ignored).toContain(entry);
  });

  it('keeps everything the build stage copies', () => {
    for (const needed of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'commands', 'bin']) {
      expect(ignored).not.toContain(needed);
    }
  });
});

describe('compose.yaml', () => {
  const compose = read('compose.yaml');
  const known = new Set([...CONFIG_VARIABLES, ...Object.keys(OPS_CONFIG_SHAPE)]);

  it('runs basisbot on Redis with the ops port, scalable (no fixed host ports)', () => {
    expect(compose).toMatch(/^\s{2}redis:\n\s+image: redis:/m);
    expect(compose).toMatch(/^\s{2}basisbot:\n\s+build: \./m);
    expect(compose).toContain('STORE_URL: redis://redis:6379');
    expect(compose).toMatch(/HTTP_PORT: "9464"/);
    expect(compose).toMatch(/deploy:\n\s+replicas:/);
    expect(compose).not.toMatch(/^\s+ports:/m);
  });

  it('sets only variables basisbot reads (a typo would be ignored silently)', () => {
    const block = compose.slice(compose.indexOf('  basisbot:'));
    const environment = block.slice(block.indexOf('environment:'), block.indexOf('expose:'));
    const names = [...environment.matchAll(/^\s{6}([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1]);
    expect(names).toEqual(expect.arrayContaining(['STORE_URL', 'HTTP_PORT', 'TELEGRAM_WEBHOOK_URL', 'TELEGRAM_WEBHOOK_SECRET']));
    for (const name of names) expect(known, name).toContain(name);
  });
});
