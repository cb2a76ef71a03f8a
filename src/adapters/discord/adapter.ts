/**
 * The Discord connection: logs in through the gateway (Guilds intent only; slash commands
 * need no privileged intents), registers the slash commands, hands interactions to the
 * InteractionHandler, and pushes alert and digest messages to channels or DMs for the outbox.
 * discord.js reconnects and resumes the gateway and retries 429s and 5xx itself; this file
 * makes sure each of those leaves a clear log line and none of them throws.
 */
import { Client, Events, GatewayIntentBits, Routes, type RateLimitData } from 'discord.js';
import type { Logger } from 'pino';
import type { Adapter, SendOutcome, Target } from '../../core/adapter.js';
import type { Dispatcher, SuggestionKind } from '../../core/dispatch.js';
import type { Reply } from '../../core/reply.js';
import { Autocompleter, CachedList } from './autocomplete.js';
import { actionCustomId } from './custom-id.js';
import { classifySendError } from './errors.js';
import { InteractionHandler, type Args } from './interactions.js';
import type { KeyValueStore } from '../../store/index.js';
import { buildCommandPayloads, registerCommands, registerIfChanged } from './register.js';
import { renderReply, type DiscordMessage } from './render.js';

export const DEFAULT_DISCORD_API = 'https://discord.com/api';

export interface DiscordAdapterOptions {
  token: string;
  /** Register the commands in this guild only (instant); otherwise globally. */
  guildId?: string;
  /** REST base without the version, e.g. `http://127.0.0.1:PORT/api` for the fake. */
  apiBase?: string;
  dispatcher: Dispatcher;
  log: Logger;
  /** Defaults to the dispatcher's own Command.isCached. */
  isCached?: (command: string, args: Args) => boolean;
  isPersonal?: (command: string) => boolean;
  /** A 429 asking to wait longer than this fails a push with `retry-later` instead of blocking. */
  maxRateLimitWaitMs?: number;
  autocompleteDeadlineMs?: number;
  fastReplyBudgetMs?: number;
  /** How long to wait for the gateway's READY before start() gives up. */
  readyTimeoutMs?: number;
  /** How long stop() (or a failed start()) waits for discord.js to close the gateway. */
  closeTimeoutMs?: number;
  /**
   * The last registered definitions' hashes (a store namespace shared by replicas): commands
   * are PUT only when they changed. Without it they are registered at every start.
   */
  commandHashes?: KeyValueStore<string>;
  /** DISCORD_SHARDS: gateway shards this process runs, a count or `auto` (Discord's recommendation). */
  shards?: number | 'auto';
}

/** discord.js's shard options for DISCORD_SHARDS; one process runs every shard it asks for. */
export function shardOptions(shards: number | 'auto' | undefined): { shards?: number[] | 'auto'; shardCount?: number } {
  if (shards === undefined) return {};
  if (shards === 'auto') return { shards: 'auto' };
  return { shards: Array.from({ length: shards }, (_, index) => index), shardCount: shards };
}

export class DiscordAdapter implements Adapter {
  readonly platform = 'discord' as const;
  private readonly client: Client;
  private readonly log: Logger;
  private readonly interactions: InteractionHandler;
  private readonly dmChannels = new Map<string, string>();
  private readonly pending = new Set<Promise<void>>();
  /** Aborted by stop(): a start() still waiting for the gateway gives up at once, and shutdown disconnects are not news. */
  private readonly stopper = new AbortController();

  constructor(private readonly options: DiscordAdapterOptions) {
    this.log = options.log.child({ adapter: 'discord' });
    const maxWait = options.maxRateLimitWaitMs ?? 10_000;
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds],
      allowedMentions: { parse: [] },
      ...shardOptions(options.shards),
      rest: {
        api: options.apiBase ?? DEFAULT_DISCORD_API,
        // Short waits are absorbed by discord.js; a long one would stall the caller, so it fails fast.
        rejectOnRateLimit: (limit: RateLimitData) => Math.max(limit.retryAfter, limit.timeToReset) > maxWait,
      },
    });
    // Pushed messages go out over REST alone, so they work before (and without) the gateway.
    this.client.rest.setToken(options.token);
    const dispatcher = options.dispatcher;
    const deadlineMs = options.autocompleteDeadlineMs ?? 1_500;
    const list = (kind: SuggestionKind) => new CachedList(() => dispatcher.suggest(kind), { deadlineMs, log: this.log, name: kind });
    const lists = { asset: list('asset'), venue: list('venue'), term: list('term') };
    this.interactions = new InteractionHandler({
      dispatcher: options.dispatcher,
      autocompleter: new Autocompleter(lists),
      log: this.log,
      isCached: options.isCached ?? ((command, args) => dispatcher.isCached(command, args)),
      isPersonal: options.isPersonal,
      fastReplyBudgetMs: options.fastReplyBudgetMs,
    });
    this.watch();
  }

  private watch(): void {
    const client = this.client;
    const log = this.log;
    client.on(Events.InteractionCreate, (interaction) => {
      const answering = this.interactions.handle(interaction);
      this.pending.add(answering);
      void answering.finally(() => this.pending.delete(answering));
    });
    client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
    client.on(Events.ShardError, (error, shardId) => log.error({ err: error, shardId }, 'discord gateway error; discord.js will reconnect'));
    // discord.js reports its own shutdown as a disconnect too; only a drop while running is news.
    client.on(Events.ShardDisconnect, (event, shardId) => {
      if (!this.stopper.signal.aborted) log.warn({ code: event.code, shardId }, 'discord gateway disconnected');
    });
    client.on(Events.ShardReconnecting, (shardId) => {
      if (!this.stopper.signal.aborted) log.warn({ shardId }, 'discord gateway connection lost; reconnecting (resume)');
    });
    client.on(Events.ShardResume, (shardId, replayed) => log.info({ shardId, replayed }, 'discord gateway resumed'));
    client.on(Events.ShardReady, (shardId) => log.info({ shardId }, 'discord gateway session ready'));
    client.on(Events.Invalidated, () => log.error('discord session invalidated; it will not reconnect'));
    client.on(Events.Warn, (message) => log.warn({ detail: message }, 'discord warning'));
    client.on(Events.Debug, (message) => log.trace({ detail: message }, 'discord debug'));
    client.rest.on('rateLimited', (limit) =>
      log.warn({ route: limit.route, method: limit.method, retryAfterMs: limit.retryAfter, global: limit.global }, 'discord rate limit hit'),
    );
  }

  /**
   * Logs in, waits for the gateway session, then registers the commands. Throws if login
   * fails, if READY does not come within `readyTimeoutMs` (a hanging REST API or gateway),
   * or if stop() is called first.
   */
  async start(): Promise<void> {
    // Created before login so a READY that arrives during login is not missed; it never rejects.
    const ready = new Promise<void>((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    const session = this.client.login(this.options.token).then(() => ready);
    // After a timeout or stop() the login may still fail later (a hung request giving up):
    // observed here, so it never surfaces as an unhandled rejection.
    session.catch((error: unknown) => this.log.debug({ err: error }, 'discord login failed (start() reports it, or gave up already)'));
    try {
      await this.beforeDeadline(session, this.options.readyTimeoutMs ?? 60_000);
    } catch (error) {
      await this.destroyClient();
      throw new Error(`Discord login failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const user = this.client.user;
    this.log.info({ user: user?.tag, applicationId: this.client.application?.id }, 'discord logged in');
    await this.register();
  }

  /** Waits for `work`, but rejects at the deadline or as soon as stop() is called. */
  private async beforeDeadline(work: Promise<void>, timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let onStop: (() => void) | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Discord gateway did not become ready in time')), timeoutMs);
      onStop = () => reject(new Error('stopped before the Discord gateway was ready'));
      if (this.stopper.signal.aborted) onStop();
      else this.stopper.signal.addEventListener('abort', onStop, { once: true });
    });
    try {
      await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
      if (onStop) this.stopper.signal.removeEventListener('abort', onStop);
    }
  }

  /**
   * Stopping must complete even when discord.js does not: client.destroy() can reject on a
   * half-open connection, and never settles when called while the gateway shard waits for
   * READY (@discordjs/ws 1.2 then races its own reconnect against the close), so it is bounded.
   */
  private async destroyClient(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.closeTimeoutMs ?? 5_000);
    });
    try {
      const outcome = await Promise.race([this.client.destroy(), gaveUp]);
      if (outcome === 'timeout') this.log.warn('discord client did not close in time; giving up on it');
    } catch (error) {
      this.log.warn({ err: error }, 'discord client did not close cleanly');
    } finally {
      clearTimeout(timer);
    }
  }

  /** A failed registration is logged, not thrown: the commands registered last time still work. */
  private async register(): Promise<void> {
    const applicationId = this.client.application?.id;
    if (!applicationId) {
      this.log.error('discord READY carried no application id; commands not registered');
      return;
    }
    const payloads = buildCommandPayloads(this.options.dispatcher.commands);
    const scope = this.options.guildId ? `guild ${this.options.guildId}` : 'global';
    try {
      const hashes = this.options.commandHashes;
      const outcome = hashes
        ? await registerIfChanged(this.client.rest, applicationId, payloads, this.options.guildId, hashes)
        : { kind: 'registered' as const, commands: await registerCommands(this.client.rest, applicationId, payloads, this.options.guildId) };
      if (outcome.kind === 'unchanged') this.log.info({ scope }, 'discord slash commands unchanged since the last registration; not registered again');
      else this.log.info({ scope, commands: outcome.commands.map((command) => command.name) }, 'discord slash commands registered');
    } catch (error) {
      this.log.error({ err: error }, 'discord slash command registration failed; the previously registered commands stay');
    }
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    // Let answers already under way finish, briefly, so no user is left with "thinking...".
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise((resolve) => {
      timer = setTimeout(resolve, 2_000);
    });
    await Promise.race([Promise.allSettled([...this.pending]), grace]);
    clearTimeout(timer);
    await this.destroyClient();
  }

  /**
   * Discord only tells whether a channel or DM accepts the bot's messages when one is sent
   * (50007, 50001, 50013), so there is nothing to ask beforehand: unknown.
   */
  async canReach(_target: Target): Promise<boolean | undefined> {
    return undefined;
  }

  private async channelFor(target: Target): Promise<string> {
    if (!target.dm) return target.chatId;
    const known = this.dmChannels.get(target.chatId);
    if (known) return known;
    const channel = (await this.client.rest.post(Routes.userChannels(), { body: { recipient_id: target.chatId } })) as { id: string };
    this.dmChannels.set(target.chatId, channel.id);
    return channel.id;
  }

  private async post(channelId: string, message: DiscordMessage): Promise<void> {
    await this.client.rest.post(Routes.channelMessages(channelId), {
      body: {
        embeds: message.embeds,
        components: message.components,
        allowed_mentions: { parse: [] },
        attachments: message.files.map((file, index) => ({ id: index, filename: file.name, description: file.description })),
      },
      files: message.files.map((file) => ({ name: file.name, data: file.data, contentType: 'image/png' })),
    });
  }

  /**
   * Posts a pushed reply. Its command-line actions (`/alert pause 3`) become buttons that
   * run as whoever clicks; there is no Refresh, as no command produced it. Never throws.
   */
  async send(target: Target, reply: Reply): Promise<SendOutcome> {
    try {
      const channelId = await this.channelFor(target);
      for (const message of renderReply(reply, { customIdFor: (action) => actionCustomId(action) })) await this.post(channelId, message);
      return { status: 'sent' };
    } catch (error) {
      const outcome = classifySendError(error);
      this.log.warn({ err: error, target: target.chatId, dm: target.dm ?? false, outcome }, 'discord send failed');
      return outcome;
    }
  }
}
