import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ratio, round, type BenchRow } from './stats.js';

const BIN = path.resolve('bin/basisbot.js');

/** Wall time of one `basisbot ask --market replay "/basis BTC"` process, start to exit. */
function askOnce(dataDir: string): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [BIN, 'ask', '--json', '--market', 'replay', '/basis BTC'], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`ask failed: ${run.stderr}`);
  return performance.now() - started;
}

/** What a user waits for from the shell: a whole process, first run (no market cache) vs later runs. */
export function benchProcessStart(runs = 3): BenchRow[] {
  const samplesWith: number[] = [];
  const samplesWithout: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-bench-'));
    try {
      samplesWithout.push(askOnce(dataDir));
      samplesWith.push(askOnce(dataDir));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const best = (samples: number[]) => Math.min(...samples);
  return [
    {
      scenario: 'process: basisbot ask "/basis BTC"',
      metric: `best of ${runs} ms (market cache / none)`,
      value: round(best(samplesWith)),
      baseline: round(best(samplesWithout)),
      ratio: ratio(best(samplesWith), best(samplesWithout)),
    },
  ];
}
