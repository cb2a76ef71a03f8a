import { parseArgs } from 'node:util';
import { connectConfiguredChats } from './chat-adapters.js';
import { marketMode } from './cli-args.js';
import type { Adapter } from './core/adapter.js';
import { adaptersConnected, marketsLoaded, storeReachable } from './ops/readiness.js';
import { exitOnCrash } from './ops/crash.js';
import { startOpsServer, type OpsServer } from './ops/server.js';
import { startRuntime } from './runtime.js';
import { settleWithin } from './delivery/settle-within.js';
import { STOP_BOUND_MS } from './stop.js';

/** What closing the store may add to the stop bound before the process exits anyway. */
const STORE_CLOSE_MS = 500;

/**
 * `basisbot start`: every chat adapter configured in the environment around one composition
 * root. Runs until SIGINT/SIGTERM; a second signal skips the rest of the outbox drain (what
 * is unsent stays in the store). Exits non-zero when no adapter can run, and with 1 when an
 * exception escapes (src/ops/crash.ts), so the orchestrator restarts a clean process.
 */
export async function start(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { market: { type: 'string' } } });
  const runtime = await startRuntime(marketMode(values.market, 'live'));
  const { app } = runtime;
  const { config, log } = app;
  // Adapters catch their own failures (a 409 stops Telegram alone); whatever still escapes is a
  // bug, and a process that limps on after it is worse than one the orchestrator restarts.
  exitOnCrash(log);

  const chats = await connectConfiguredChats(app);
  if (chats.adapters.length === 0) {
    process.stderr.write('basisbot start: set TELEGRAM_BOT_TOKEN and/or DISCORD_TOKEN (see .env.example), or try `npx basisbot demo`.\n');
    await runtime.close();
    return 2;
  }

  let signals = 0;
  let onSignal: (signal: string) => void = () => undefined;
  const signalled = new Promise<string>((resolve) => (onSignal = resolve));
  const handle = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) onSignal(signal);
    else {
      log.warn({ signal }, 'second signal: skipping the rest of the drain; unsent messages stay queued');
      app.skipDrain();
    }
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);

  // The ops endpoint (HTTP_PORT) answers before the chats start: /healthz at once, /readyz once they run.
  let started: Adapter[] = [];
  let ops: OpsServer | undefined;
  if (config.http) {
    ops = await startOpsServer({
      ...config.http,
      metrics: app.metrics,
      log,
      checks: {
        markets: marketsLoaded(() => app.market.status()),
        store: storeReachable(() => app.stores.verify(1_500)),
        adapters: adaptersConnected(() => started.map((adapter) => ({ platform: adapter.platform, connected: true }))),
      },
    });
    log.info({ url: ops.url }, 'ops endpoint listening (/healthz, /readyz, /metrics)');
  }

  // Load the venues' market lists now, not at the first command: /readyz waits for them, and a
  // webhook replica that is never ready never gets the traffic that would have loaded them.
  void app.market.knownAssets().catch((error: unknown) => log.warn({ err: error }, 'could not load the venue market lists at start'));
  const { running, failed } = await app.start();
  started = running;
  for (const failure of failed) log.error({ platform: failure.platform, err: failure.error }, 'adapter failed to start');
  let exitCode = 0;
  if (running.length === 0) {
    exitCode = 1;
  } else {
    log.info({ platforms: running.map((adapter) => adapter.platform), venues: config.venues }, 'basisbot running');
    let reason: string | Error = await Promise.race([signalled, chats.fatal]);
    // One chat that can no longer receive (Telegram's 409) must not take the others down.
    if (reason instanceof Error && running.length > 1) {
      log.error({ err: reason }, 'one chat adapter stopped receiving; the others keep running');
      reason = await signalled;
    }
    if (reason instanceof Error) {
      log.fatal({ err: reason }, 'a chat adapter cannot continue; stopping');
      exitCode = 1;
    } else {
      log.info({ signal: reason }, 'stopping');
    }
  }
  started = [];
  // stop() keeps its own bound; closing the store comes after it and a hung Redis would hold
  // the exit there, so the whole close gets a little more than the stop bound and no more.
  await settleWithin(runtime.close(), STOP_BOUND_MS + STORE_CLOSE_MS);
  await ops?.close();
  return exitCode;
}
