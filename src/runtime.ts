import fs from 'node:fs';
import { createApp, type App } from './app.js';
import { loadConfig } from './config.js';
import { createStoreFactory, type AtomicStoreFactory } from './store/index.js';
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
  let app: App;
  try {
    const config = loadConfig({ ...defaults, ...env, ...(replay ? { VENUE_BASE_URL: replay.url } : {}) });
    const stores = await openVerifiedStore(config.dataDir, config.storeUrl);
    app = await createApp(config, { now, marketsCacheTag: replay ? 'replay' : undefined, stores });
  } catch (error) {
    await replay?.close(); // a refused config must not leave the replay port open
    throw error;
  }
  return {
    app,
    replay,
    close: async () => {
      await app.close();
      await replay?.close();
    },
  };
}

/**
 * DATA_DIR and STORE_URL are proved before anything is built, so a bad one is a one-line
 * ConfigError (exit 2): a path through a file or under /proc used to surface as a raw
 * ENOTDIR stack or as venues "timing out", and an unreachable Redis as a silent hang
 * (keyv's client retries forever). The factory checks DATA_DIR as it is made; verify()
 * bounds the connect (5 s by default). The app then uses this same factory.
 */
async function openVerifiedStore(dataDir: string, storeUrl: string | undefined): Promise<AtomicStoreFactory> {
  const stores = createStoreFactory({ dataDir, url: storeUrl });
  try {
    await stores.verify();
  } catch (error) {
    await stores.close();
    throw error;
  }
  return stores;
}
