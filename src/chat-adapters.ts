/**
 * The chat platforms configured in the environment, built for the composition root. Each
 * SDK is imported only when its token is set: discord.js and telegraf are large, and a
 * Telegram-only bot (or `ask`) should not pay for loading the other.
 */
import type { App } from './app.js';
import type { Adapter } from './core/adapter.js';

export interface ChatAdapters {
  adapters: Adapter[];
  /** Settles when an adapter can no longer receive commands (a 409 from a second poller). */
  fatal: Promise<Error>;
}

export async function connectConfiguredChats(app: App): Promise<ChatAdapters> {
  const { config, log, dispatcher, outbox } = app;
  let reportFatal: (error: Error) => void = () => undefined;
  const fatal = new Promise<Error>((resolve) => (reportFatal = resolve));
  const adapters: Adapter[] = [];
  if (config.telegram) {
    const { TelegramAdapter } = await import('./adapters/telegram/adapter.js');
    adapters.push(new TelegramAdapter({ ...config.telegram, dispatcher, log, pacer: outbox, onFatal: reportFatal }));
  }
  if (config.discord) {
    const { DiscordAdapter } = await import('./adapters/discord/adapter.js');
    adapters.push(new DiscordAdapter({ ...config.discord, dispatcher, log }));
  }
  for (const adapter of adapters) app.connect(adapter);
  return { adapters, fatal };
}
