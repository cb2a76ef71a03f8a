import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startReplayServer, type ReplayServer, type ReplayServerOptions } from '../../src/market/replay/server.js';

export interface ReplayApp {
  app: App;
  server: ReplayServer;
  dataDir: string;
  close(): Promise<void>;
}

/** A fresh temp DATA_DIR (removed by the caller's close). */
export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-test-'));
}

/**
 * The real app (real ccxt, real drivers) pointed at a replay server on 127.0.0.1,
 * sharing one clock. `env` overrides config variables (e.g. VENUE_TIMEOUT_MS).
 */
export async function startReplayApp(
  options: { env?: Record<string, string>; server?: ReplayServerOptions; dataDir?: string; existingServer?: ReplayServer } = {},
): Promise<ReplayApp> {
  const now = options.server?.clock ?? Date.now;
  const server = options.existingServer ?? (await startReplayServer({ clock: now, ...options.server }));
  const dataDir = options.dataDir ?? tempDataDir();
  const config = loadConfig({ VENUE_BASE_URL: server.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...options.env });
  const app = await createApp(config, { now, log: pino({ level: 'silent' }), marketsCacheTag: 'replay' });
  return {
    app,
    server,
    dataDir,
    close: async () => {
      await app.close();
      if (!options.existingServer) await server.close();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
