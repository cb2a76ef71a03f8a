/**
 * The chat platforms configured in the environment, built for the composition root. Each
 * SDK is imported only when its token is set: discord.js and telegraf are large, and a
 * Telegram-only bot (or `ask`) should not pay for loading the other.
 */
import type { App } from './app.js';
import type { Adapter } from './core/adapter.js';
import type { PollClaim } from './adapters/telegram/poll-claim.js';
import type { LeaseRecord } from './lease/lease.js';

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
    const pollClaim = config.telegram.webhook ? undefined : await telegramPollClaim(app);
    adapters.push(new TelegramAdapter({ ...config.telegram, dispatcher, log, pacer: outbox, onFatal: reportFatal, pollClaim }));
  }
  if (config.discord) {
    const { DiscordAdapter } = await import('./adapters/discord/adapter.js');
    // The hashes live in the store, so replicas (and restarts) re-register only changed commands.
    const commandHashes = app.stores.open<string>('discord-command-hashes');
    adapters.push(new DiscordAdapter({ ...config.discord, dispatcher, log, commandHashes, shards: config.discordShards }));
  }
  for (const adapter of adapters) app.connect(adapter);
  return { adapters, fatal };
}

/**
 * Long polling on a shared store (replicas on one Redis) goes through a claim there, so a
 * second replica refuses to poll and asks for webhook mode. One process on SQLite needs none.
 */
async function telegramPollClaim(app: App): Promise<PollClaim | undefined> {
  const { config, stores, log, now } = app;
  if (!config.storeUrl?.startsWith('redis')) return undefined;
  const store = stores.open<LeaseRecord>('telegram-poll');
  const { storePollClaim } = await import('./adapters/telegram/poll-claim.js');
  return storePollClaim({ store, holder: app.replicaId, ttlMs: config.leaseTtlMs, now, log });
}
