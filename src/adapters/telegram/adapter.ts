/**
 * The Telegram connection: long polling by default, a webhook server when configured, and
 * `send()` for pushed messages. It keeps running when Telegram misbehaves (telegraf retries
 * getUpdates on 5xx, 429 and network errors; a failed setMyCommands is only logged) and
 * reports through `onFatal` only what it cannot get past: a 409 Conflict (another poller, or
 * a webhook set elsewhere) or a rejected token. It never exits the process itself.
 *
 * Commands run outside telegraf's middleware chain, so a slow venue answering one user does
 * not hold up the polling loop (and everyone else's commands) behind it.
 */
import type http from 'node:http';
import type { Logger } from 'pino';
import { Telegraf } from 'telegraf';
import type { Convenience } from 'telegraf/types';
import type { Adapter, SendOutcome, Target } from '../../core/adapter.js';
import type { Dispatcher } from '../../core/dispatch.js';
import type { Reply } from '../../core/reply.js';
import type { PaceTurn, SendPacer } from '../../delivery/pacer.js';
import { settleWithin } from '../../delivery/settle-within.js';
import { ChatAdmins } from './admins.js';
import { callTelegram, chatIdFor, describeError, isTelegramError, outcomeForError, TRANSIENT_RETRY_MS, type TelegramApi } from './api.js';
import { buildKeyboard } from './keyboard.js';
import { MessageGroups } from './message-groups.js';
import { deliverRendering, partCount } from './outgoing.js';
import { PartialDeliveries } from './partial-deliveries.js';
import type { PollClaim } from './poll-claim.js';
import { registerCommands } from './register.js';
import { renderForTelegram } from './render.js';
import { checkWebhookOptions, closeServer, listenForWebhook, type TelegramWebhookOptions } from './webhook-server.js';
import { handleCallbackQuery, handleMessage, type UpdateContext } from './updates.js';

export const DEFAULT_API_ROOT = 'https://api.telegram.org';
const ALLOWED_UPDATES: Convenience.UpdateType[] = ['message', 'callback_query'];
/** How long stop() waits for the last getUpdates and for commands still running. */
const STOP_GRACE_MS = 5_000;

export type { TelegramWebhookOptions } from './webhook-server.js';

export interface TelegramAdapterOptions {
  token: string;
  /** Bot API root; defaults to https://api.telegram.org (tests point it at a fake). */
  apiRoot?: string;
  /** Receive updates by webhook instead of long polling. */
  webhook?: TelegramWebhookOptions;
  dispatcher: Dispatcher;
  log: Logger;
  /** Overrides the username getMe reports (used to ignore `/cmd@otherbot` in groups). */
  botUsername?: string;
  /** Told when the adapter can no longer receive updates (409 Conflict, token revoked). */
  onFatal?: (error: Error) => void;
  /**
   * Paces command replies under the same per-chat and bot-wide windows as pushed messages
   * (pass the outbox). Without it replies go out at once and wait out the 429s they draw.
   */
  pacer?: SendPacer;
  /**
   * Replicas on one store: long polling first takes this claim, so a second replica in
   * polling mode refuses to start (webhook mode required) instead of drawing 409s.
   */
  pollClaim?: PollClaim;
}

type State = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export class TelegramAdapter implements Adapter {
  readonly platform = 'telegram' as const;
  private readonly bot: Telegraf;
  private readonly log: Logger;
  private readonly partial = new PartialDeliveries();
  private readonly inFlight = new Set<Promise<void>>();
  private state: State = 'idle';
  private polling?: Promise<void>;
  private webhookServer?: http.Server;
  private username?: string;
  /** The long-polling claim while this adapter holds it. */
  private claimed?: PollClaim;

  constructor(private readonly options: TelegramAdapterOptions) {
    if (!options.token) throw new Error('TelegramAdapter: a bot token is required');
    if (options.webhook) checkWebhookOptions(options.webhook);
    this.log = options.log;
    // webhookReply off: answers go through the API, so their errors are seen and logged.
    this.bot = new Telegraf(options.token, { telegram: { apiRoot: options.apiRoot ?? DEFAULT_API_ROOT, webhookReply: false } });
    const context: UpdateContext = {
      api: this.api,
      dispatcher: options.dispatcher,
      log: this.log,
      botUsername: () => this.username,
      groups: new MessageGroups(),
      admins: new ChatAdmins(this.api, this.log),
      pacer: options.pacer,
    };
    this.bot.on('message', (ctx) => this.track(handleMessage(context, ctx.message)));
    this.bot.on('callback_query', (ctx) => this.track(handleCallbackQuery(context, ctx.callbackQuery)));
    this.bot.catch((error, ctx) => this.log.error({ err: error, updateId: ctx.update.update_id }, 'telegram: update handler failed'));
  }

  private get api(): TelegramApi {
    return this.bot.telegram;
  }

  /** The username commands must carry in groups (`/basis@<this>`), known after start(). */
  get botUsername(): string | undefined {
    return this.username;
  }

  /** The port the webhook server listens on, once started in webhook mode. */
  webhookPort(): number | undefined {
    const address = this.webhookServer?.address();
    return address && typeof address === 'object' ? address.port : undefined;
  }

  /**
   * Checks the token (getMe), publishes the command menu, then starts receiving updates.
   * Resolves once updates flow; rejects if Telegram cannot be reached or refuses the token.
   */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error(`TelegramAdapter: cannot start, it is ${this.state}`);
    this.state = 'starting';
    try {
      const me = await callTelegram(this.api, 'getMe', {});
      this.bot.botInfo = me;
      this.username = this.options.botUsername ?? me.username;
      await registerCommands(this.api, this.options.dispatcher.commands, this.log);
      if (this.options.webhook) await this.startWebhook(this.options.webhook);
      else await this.startPolling();
      this.state = 'running';
      this.log.info({ bot: this.username, mode: this.options.webhook ? 'webhook' : 'polling' }, 'telegram: started');
    } catch (error) {
      this.state = 'failed';
      await this.closeWebhookServer();
      await this.releaseClaim();
      throw new Error(`Telegram adapter could not start: ${describeError(error)}`, { cause: error });
    }
  }

  private async startPolling(): Promise<void> {
    const claim = this.options.pollClaim;
    if (claim) {
      await claim.take();
      this.claimed = claim;
    }
    // Done here rather than only inside launch() so a failure fails start() instead of later.
    await callTelegram(this.api, 'deleteWebhook', { drop_pending_updates: false });
    // launch() settles only when polling stops; botInfo is set, so it starts polling at once.
    this.polling = this.bot.launch({ allowedUpdates: ALLOWED_UPDATES }).then(
      () => this.log.info('telegram: polling stopped'),
      (error: unknown) => this.pollingFailed(error),
    );
  }

  private pollingFailed(error: unknown): void {
    if (this.state === 'stopping' || this.state === 'stopped') return;
    this.state = 'failed';
    const conflict = isTelegramError(error) && error.code === 409;
    const why = conflict
      ? 'another bot instance is polling with this token, or a webhook is set for it (with more than one replica, set TELEGRAM_WEBHOOK_URL: only webhook mode lets every replica receive updates)'
      : isTelegramError(error) && error.code === 401
        ? 'the bot token was rejected'
        : 'polling stopped on an error it cannot get past';
    const fatal = new Error(`Telegram: ${describeError(error)}: ${why}; this instance no longer receives updates`, { cause: error });
    this.log.fatal({ err: describeError(error), conflict }, fatal.message);
    this.options.onFatal?.(fatal);
    void this.releaseClaim();
  }

  /** Lets the next poller (a restart, a rolling deploy) start at once instead of after the claim's TTL. */
  private async releaseClaim(): Promise<void> {
    const claim = this.claimed;
    this.claimed = undefined;
    await claim?.release().catch((error: unknown) => this.log.warn({ err: error }, 'telegram: could not release the long-polling claim; it expires on its own'));
  }

  private async startWebhook(webhook: TelegramWebhookOptions): Promise<void> {
    this.webhookServer = await listenForWebhook(webhook, this.bot.webhookCallback.bind(this.bot), this.log);
    await callTelegram(this.api, 'setWebhook', { url: webhook.url, secret_token: webhook.secretToken, allowed_updates: ALLOWED_UPDATES });
  }

  private async closeWebhookServer(): Promise<void> {
    if (this.webhookServer) await closeServer(this.webhookServer);
  }

  /**
   * Stops receiving updates and waits (briefly) for commands still running. In webhook mode
   * the webhook stays set, so Telegram keeps updates for the next instance.
   */
  async stop(): Promise<void> {
    if (this.state === 'idle' || this.state === 'stopped') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopping';
    if (this.polling) await this.stopPolling(this.polling);
    await this.releaseClaim();
    await this.closeWebhookServer();
    await settleWithin(Promise.allSettled(this.inFlight), STOP_GRACE_MS);
    this.state = 'stopped';
    this.log.info('telegram: stopped');
  }

  private async stopPolling(polling: Promise<void>): Promise<void> {
    let ended = false;
    void polling.finally(() => (ended = true));
    const deadline = Date.now() + STOP_GRACE_MS;
    // launch() creates its poller only after its own deleteWebhook call returns; until then
    // telegraf's stop() throws "Bot is not running!", so keep asking until the poller exists.
    while (!ended && Date.now() < deadline) {
      try {
        this.bot.stop('stop');
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    // A poller in a retry pause (5 s after a 5xx or network error) ends when the pause does.
    await settleWithin(polling, Math.max(0, deadline - Date.now()));
  }

  /** send() waits on the outbox's PaceTurn before each part: a chart and a text keep to 1/s per chat. */
  readonly pacesParts = true;

  /** How many Bot API sends a reply takes (chart + text parts), so the outbox can budget its rate. */
  partsOf(reply: Reply): number {
    return partCount(renderForTelegram(reply));
  }

  /**
   * Sends a pushed reply (alert, digest). Never throws: failures come back as outcomes.
   * Paced only through `pace`, the turn the outbox holds for this reply: asking the pacer
   * again would wait on itself.
   */
  async send(target: Target, reply: Reply, pace?: PaceTurn): Promise<SendOutcome> {
    if (target.platform !== 'telegram') return { status: 'unreachable', reason: `not a Telegram target: ${target.platform}` };
    try {
      const rendering = renderForTelegram(reply);
      const key = this.partial.keyOf(target, rendering);
      const result = await deliverRendering(this.api, target.chatId, rendering, {
        keyboard: buildKeyboard(reply.actions),
        skip: this.partial.delivered(key),
        log: this.log,
        pace,
      });
      if (!result.error) {
        this.partial.forget(key);
        return { status: 'sent' };
      }
      const outcome = outcomeForError(result.error);
      // Nothing more of this reply will be sent (target gone, or the message refused for good).
      if (outcome.status === 'unreachable' || outcome.status === 'rejected') this.partial.forget(key);
      else if (result.delivered > 0) this.partial.remember(key, result.delivered);
      return outcome;
    } catch (error) {
      this.log.error({ err: error, chatId: target.chatId }, 'telegram: send failed before reaching Telegram');
      return { status: 'retry-later', retryAfterMs: TRANSIENT_RETRY_MS, reason: describeError(error) };
    }
  }

  /**
   * Whether a push to a private chat would be accepted now: "typing…" is the cheapest call that
   * reaches the user, and Telegram refuses it (403, or 400 chat not found) exactly when a
   * message would be refused. Groups and channels: undefined, a probe there says too little.
   */
  async canReach(target: Target): Promise<boolean | undefined> {
    if (target.platform !== 'telegram' || !isPrivate(target)) return undefined;
    try {
      await callTelegram(this.api, 'sendChatAction', { chat_id: chatIdFor(target.chatId), action: 'typing' });
      return true;
    } catch (error) {
      if (outcomeForError(error).status === 'unreachable') return false;
      this.log.debug({ err: describeError(error), chatId: target.chatId }, 'telegram: canReach could not tell');
      return undefined;
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) => this.log.error({ err: error }, 'telegram: update handling failed'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}

/** A user's private chat: said by the target, else a positive id (groups and channels are negative). */
function isPrivate(target: Target): boolean {
  return target.kind === undefined ? /^\d+$/.test(target.chatId) : target.kind === 'private';
}
