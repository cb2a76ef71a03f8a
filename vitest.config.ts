import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // ccxt is large to load and the integration tests start servers: give slow machines room.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: a single worker on a two-core
    // machine. Many files here wait on child processes and sockets rather than compute, so
    // one worker more than the cores keeps both cores busy.
    maxWorkers: os.availableParallelism() + 1,
  },
});
