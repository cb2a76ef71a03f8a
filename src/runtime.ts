import fs from 'node:fs';
import { createApp, type App } from './app.js';
import { loadConfig } from './config.js';
import { parseFaultList } from './market/replay/faults.js';
import { startReplayServer, type ReplayServer } from './market/replay/server.js';

export type MarketMode = 'live' | 'replay';

export interface Runtime {
  app: App;
  replay?: ReplayServer;
  close(): Promise<void>;
}

/** Reads `.env` from the working directory when present (variables already set win). */
export function loadDotEnv(file = '.env'): void {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

/**
 * Builds the app for a CLI run. In replay mode an in-process replay server serves the
 * bundled snapshot on a free port, on the same clock as the app, and the venues are
 * pointed at it: nothing leaves the machine. REPLAY_FAULTS (e.g. `okx=down`) injects faults.
 */
export async function startRuntime(mode: MarketMode, env: NodeJS.ProcessEnv = process.env, defaults: Record<string, string> = {}): Promise<Runtime> {
  const now = Date.now;
  const replay = mode === 'replay' ? await startReplayServer({ clock: now, faults: parseFaultList(env['REPLAY_FAULTS'] ?? '') }) : undefined;
  const config = loadConfig({ ...defaults, ...env, ...(replay ? { VENUE_BASE_URL: replay.url } : {}) });
  const app = await createApp(config, { now, marketsCacheTag: replay ? 'replay' : undefined });
  return {
    app,
    replay,
    close: async () => {
      await app.close();
      await replay?.close();
    },
  };
}
