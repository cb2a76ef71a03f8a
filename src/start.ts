import { parseArgs } from 'node:util';
import type { Adapter } from './core/adapter.js';
import { DiscordAdapter } from './adapters/discord/adapter.js';
import { TelegramAdapter } from './adapters/telegram/adapter.js';
import { Outbox } from './delivery/outbox.js';
import type { QueuedMessage } from './delivery/queued-message.js';
import { startRuntime, type MarketMode } from './runtime.js';

/**
 * `basisbot start`: every chat adapter configured in the environment, sharing one query
 * service and one outbox. Runs until SIGINT/SIGTERM, then drains or persists the outbox.
 * Exits non-zero only when no adapter can run (bad token, a second poller holding the bot).
 */
export async function start(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { market: { type: 'string' } } });
  const mode = (values.market ?? 'live') as MarketMode;
  if (mode !== 'live' && mode !== 'replay') throw new Error(`--market must be replay or live, not "${values.market}"`);
  const runtime = await startRuntime(mode);
  const { app } = runtime;
  const { config, log } = app;

  const adapters: Adapter[] = [];
  let fatal: ((error: Error) => void) | undefined;
  const fatalError = new Promise<Error>((resolve) => (fatal = resolve));
  if (config.telegram) {
    adapters.push(new TelegramAdapter({ ...config.telegram, dispatcher: app.dispatcher, log, onFatal: (error) => fatal?.(error) }));
  }
  if (config.discord) {
    adapters.push(
      new DiscordAdapter({
        ...config.discord,
        dispatcher: app.dispatcher,
        log,
      }),
    );
  }
  if (adapters.length === 0) {
    process.stderr.write('basisbot start: set TELEGRAM_BOT_TOKEN and/or DISCORD_TOKEN (see .env.example), or try `npx basisbot demo`.\n');
    await runtime.close();
    return 2;
  }

  // A chat crash must never take the others down: log what escaped and carry on.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  process.on('uncaughtException', (error) => log.error({ err: error }, 'uncaught exception'));

  const outbox = new Outbox({
    senders: Object.fromEntries(adapters.map((adapter) => [adapter.platform, adapter])),
    store: app.stores.open<QueuedMessage[]>('outbox'),
    log,
    onUnreachable: (target, reason) => log.warn({ target, reason }, 'chat unreachable; its pushes are paused'),
  });
  await outbox.start();
  const started = await Promise.allSettled(adapters.map((adapter) => adapter.start()));
  started.forEach((outcome, index) => {
    if (outcome.status === 'rejected') log.error({ platform: adapters[index].platform, err: outcome.reason }, 'adapter failed to start');
  });
  const running = adapters.filter((_, index) => started[index].status === 'fulfilled');
  let exitCode = 0;
  if (running.length === 0) {
    exitCode = 1;
  } else {
    log.info({ platforms: running.map((adapter) => adapter.platform), venues: config.venues }, 'basisbot running');
    const signal = new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    const reason = await Promise.race([signal, fatalError]);
    if (reason instanceof Error) {
      log.fatal({ err: reason }, 'a chat adapter cannot continue; stopping');
      exitCode = 1;
    } else {
      log.info({ signal: reason }, 'stopping');
    }
  }
  await outbox.stop({ drain: true, timeoutMs: config.outboxStopTimeoutMs });
  await Promise.allSettled(running.map((adapter) => adapter.stop()));
  await runtime.close();
  return exitCode;
}
