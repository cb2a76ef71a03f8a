/**
 * A fake Telegram Bot API on 127.0.0.1 that real telegraf talks to. It long-polls getUpdates,
 * validates what the bot sends the way Telegram does (HTML, lengths, button data), records
 * everything for assertions, injects faults (429, 403, 409, 5xx, dropped connections) and,
 * when asked, enforces Telegram's send rate limits.
 *
 * ```ts
 * const telegram = await startFakeTelegram();
 * const adapter = new TelegramAdapter({ token: telegram.token, apiRoot: telegram.apiRoot, ... });
 * telegram.pushMessage(42, '/basis BTC');
 * const reply = await telegram.waitFor(() => telegram.sent.find((m) => m.chatId === '42'));
 * ```
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiFailure, CHAT_STATES, DEFAULT_DESCRIPTIONS, checkCommands, checkKeyboard, parseText, readParams } from './telegram-requests.js';
import { SendRateLimiter, type RateLimitOptions } from './telegram-rate-limits.js';
import { FakeTelegramState, type ApiCall, type ChatType, type FakeMessage, type Update } from './telegram-state.js';

export type { ApiCall, ChatType, FakeMessage, Update } from './telegram-state.js';
export { parseTelegramHtml } from './telegram-html.js';

export interface FakeTelegramOptions {
  /** Token the bot must use in `/bot<token>/`; anything else gets 401. */
  token?: string;
  /** Username getMe reports. Default `basis_test_bot`. */
  botUsername?: string;
  /** Longest a getUpdates call is held open (Telegram: the `timeout` asked for). Default 1,000 ms. */
  maxPollHoldMs?: number;
  /** Enforce Telegram's send limits (true for the defaults: 1/s per chat, 20/min per group, 30/s overall). */
  rateLimits?: boolean | RateLimitOptions;
  /**
   * Round-trip time added to every call (default 0): half on the way in, before the call is
   * recorded and counted against the limits (Telegram counts on arrival), half on the way out.
   */
  latencyMs?: number;
}

/** A fault the next matching call(s) get instead of a normal answer. */
export interface FaultSpec {
  method: string;
  /** HTTP error code to answer with, `reset` to drop the connection, `hang` to never answer. */
  status: number | 'reset' | 'hang';
  description?: string;
  /** For 429: `parameters.retry_after` in seconds (default 1). */
  retryAfter?: number;
  /** How many calls it hits (default 1; Infinity for all). */
  times?: number;
  /** Only calls to this chat. */
  chatId?: string | number;
}

export interface FakeTelegram {
  /** Pass as telegraf's `apiRoot`. */
  apiRoot: string;
  token: string;
  botUsername: string;
  /** Messages the bot sent (sendMessage, sendPhoto), in order, with their later edits. */
  sent: FakeMessage[];
  /** Every API call, including refused ones. */
  calls: ApiCall[];
  /** The last command list setMyCommands accepted. */
  commands: { command: string; description: string }[] | undefined;
  /** The webhook setWebhook registered, if any (getUpdates answers 409 while it is set). */
  webhook: { url: string; secretToken?: string } | undefined;
  /** Answers the bot gave to button presses. */
  callbackAnswers: { id: string; text?: string }[];
  /** Queues a user's text message for getUpdates; returns the update. */
  pushMessage(chatId: string | number, text: string, from?: { fromId?: number; chatType?: ChatType; username?: string }): Update;
  /** Queues a press on a button of a message the bot sent; returns the update. */
  pushCallback(chatId: string | number, messageId: number, data: string, from?: { fromId?: number }): Update;
  /** Builds a message update without queueing it (to POST to a webhook yourself). */
  messageUpdate(chatId: string | number, text: string, from?: { fromId?: number; chatType?: ChatType }): Update;
  injectFault(fault: FaultSpec): void;
  /**
   * Who administers a group, for getChatMember (everyone else is a `member`). A private
   * chat's user is a `member` too; the bot decides private-chat rights itself.
   */
  setChatAdmins(chatId: string | number, admins: { creator?: number; administrators?: number[] }): void;
  /** Makes sends to a chat fail as Telegram does when the bot is blocked/kicked or the chat is gone. */
  setChatState(chatId: string | number, state: 'ok' | 'blocked' | 'kicked' | 'deactivated' | 'not-found'): void;
  /** Resolves with the predicate's first truthy value, checked after every API call. */
  waitFor<T>(predicate: () => T | undefined | false | null, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

const RATE_LIMITED = new Set(['sendMessage', 'sendPhoto', 'editMessageText']);

/** Starts the fake on a free port of 127.0.0.1. */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? '123456:TEST-token';
  const botUsername = options.botUsername ?? 'basis_test_bot';
  const state = new FakeTelegramState(botUsername, options.maxPollHoldMs ?? 1_000);
  const limiter = options.rateLimits ? new SendRateLimiter(options.rateLimits === true ? {} : options.rateLimits) : undefined;
  const faults: (FaultSpec & { left: number })[] = [];
  const chatStates = new Map<string, keyof typeof CHAT_STATES>();
  const chatAdmins = new Map<string, { creator?: number; administrators?: number[] }>();
  const held = new Set<http.ServerResponse>();
  const inboundMs = Math.floor((options.latencyMs ?? 0) / 2);
  const outboundMs = (options.latencyMs ?? 0) - inboundMs;

  function takeFault(method: string, chatId: unknown): FaultSpec | undefined {
    const fault = faults.find((f) => f.method === method && f.left > 0 && (f.chatId === undefined || String(f.chatId) === String(chatId)));
    if (fault) fault.left -= 1;
    return fault;
  }

  function checkChatState(chatId: string): void {
    const chatState = chatStates.get(chatId);
    if (chatState) throw new ApiFailure(CHAT_STATES[chatState][0], CHAT_STATES[chatState][1]);
  }

  function checkChat(method: string, chatId: string): void {
    checkChatState(chatId);
    const wait = limiter && RATE_LIMITED.has(method) ? limiter.take(chatId) : 0;
    if (wait > 0) throw new ApiFailure(429, `Too Many Requests: retry after ${wait}`, { retry_after: wait });
  }

  type Handler = (params: Record<string, unknown>, response: http.ServerResponse) => unknown;
  const handlers: Record<string, Handler> = {
    getMe: () => state.botUser,
    deleteWebhook: (params) => state.deleteWebhook(params.drop_pending_updates === true || params.drop_pending_updates === 'true'),
    setWebhook: (params) => {
      if (typeof params.url !== 'string' || !params.url) throw new ApiFailure(400, 'Bad Request: bad webhook: URL host is empty');
      state.webhook = { url: params.url, secretToken: params.secret_token as string | undefined };
      return true;
    },
    getWebhookInfo: () => ({ url: state.webhook?.url ?? '', pending_update_count: state.pendingCount() }),
    getUpdates: async (params, response) => {
      if (state.webhook) {
        throw new ApiFailure(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      }
      const updates = await state.poll(Number(params.offset ?? 0), Number(params.limit ?? 100), Number(params.timeout ?? 0), response);
      if (updates === 'conflict') throw new ApiFailure(409, DEFAULT_DESCRIPTIONS[409]);
      return updates;
    },
    sendMessage: (params) => {
      const chatId = String(params.chat_id);
      const visibleText = parseText(params.text, params.parse_mode, 4096, 'text');
      checkKeyboard(params.reply_markup);
      checkChat('sendMessage', chatId);
      return state.storeSent('sendMessage', chatId, params, visibleText);
    },
    sendPhoto: (params) => {
      const chatId = String(params.chat_id);
      const visibleText = parseText(params.caption, params.parse_mode, 1024, 'caption');
      const photo = params.photo as { bytes: Buffer; filename: string } | string | undefined;
      if (!photo || (typeof photo === 'object' && photo.bytes.length === 0)) throw new ApiFailure(400, 'Bad Request: there is no photo in the request');
      checkKeyboard(params.reply_markup);
      checkChat('sendPhoto', chatId);
      return state.storeSent('sendPhoto', chatId, params, visibleText, typeof photo === 'object' ? photo : undefined);
    },
    editMessageText: (params) => {
      const chatId = String(params.chat_id);
      const message = state.findSent(chatId, Number(params.message_id));
      if (!message) throw new ApiFailure(400, 'Bad Request: message to edit not found');
      if (message.method !== 'sendMessage') throw new ApiFailure(400, 'Bad Request: there is no text in the message to edit');
      const visibleText = parseText(params.text, params.parse_mode, 4096, 'text');
      checkKeyboard(params.reply_markup);
      if (params.text === message.text && JSON.stringify(params.reply_markup) === JSON.stringify(message.replyMarkup)) {
        throw new ApiFailure(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
      }
      checkChat('editMessageText', chatId);
      return state.edit(message, params, visibleText);
    },
    answerCallbackQuery: (params) => {
      if (!state.answerCallback(String(params.callback_query_id), params.text as string | undefined)) {
        throw new ApiFailure(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
      }
      return true;
    },
    // Not rate limited by Telegram, but refused like a message when the chat is blocked or gone.
    sendChatAction: (params) => {
      checkChatState(String(params.chat_id));
      return true;
    },
    getChatMember: (params) => {
      const chatId = String(params.chat_id);
      checkChatState(chatId);
      const userId = Number(params.user_id);
      if (!Number.isInteger(userId) || userId <= 0) throw new ApiFailure(400, 'Bad Request: invalid user_id specified');
      const admins = chatAdmins.get(chatId);
      const status = admins?.creator === userId ? 'creator' : admins?.administrators?.includes(userId) ? 'administrator' : 'member';
      return { status, user: { id: userId, is_bot: false, first_name: 'Tester' } };
    },
    setMyCommands: (params) => {
      state.commands = checkCommands(params.commands);
      return true;
    },
  };

  function answer(response: http.ServerResponse, call: ApiCall, status: number, body: Record<string, unknown>): void {
    call.status = status;
    call.description = body.description as string | undefined;
    const write = () => {
      if (!response.writableEnded && !response.destroyed) {
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      }
    };
    if (outboundMs > 0) setTimeout(write, outboundMs);
    else write();
    state.changed();
  }

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (inboundMs > 0) await new Promise((resolve) => setTimeout(resolve, inboundMs));
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const route = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const params = await readParams(request, url);
    const call: ApiCall = { method: route?.[2] ?? url.pathname, params, status: 0, at: Date.now() };
    state.calls.push(call);
    if (!route) return answer(response, call, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (route[1] !== token) return answer(response, call, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const fault = takeFault(route[2], params.chat_id);
    if (fault?.status === 'reset') return void request.socket.destroy();
    if (fault?.status === 'hang') return void held.add(response);
    try {
      if (fault) {
        const code = fault.status as number;
        const retryAfter = fault.retryAfter ?? 1;
        const description = fault.description ?? (code === 429 ? `Too Many Requests: retry after ${retryAfter}` : DEFAULT_DESCRIPTIONS[code] ?? 'Error');
        throw new ApiFailure(code, description, code === 429 ? { retry_after: retryAfter } : undefined);
      }
      const handler = handlers[route[2]];
      if (!handler) throw new ApiFailure(404, 'Not Found: method not found');
      const result = await handler(params, response);
      answer(response, call, 200, { ok: true, result });
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      answer(response, call, error.code, { ok: false, error_code: error.code, description: error.description, parameters: error.parameters });
    }
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botUsername,
    sent: state.sent,
    calls: state.calls,
    get commands() {
      return state.commands;
    },
    get webhook() {
      return state.webhook;
    },
    callbackAnswers: state.callbackAnswers,
    pushMessage: (chatId, text, from) => state.enqueue(state.messageUpdate(String(chatId), text, from)),
    pushCallback: (chatId, messageId, data, from) => state.enqueue(state.callbackUpdate(String(chatId), messageId, data, from?.fromId)),
    messageUpdate: (chatId, text, from) => state.messageUpdate(String(chatId), text, from),
    injectFault: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
    setChatAdmins: (chatId, admins) => chatAdmins.set(String(chatId), admins),
    setChatState: (chatId, chatState) => {
      if (chatState === 'ok') chatStates.delete(String(chatId));
      else chatStates.set(String(chatId), chatState);
    },
    waitFor: (predicate, timeoutMs) => state.waitFor(predicate, timeoutMs),
    close: async () => {
      state.releasePolls();
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
