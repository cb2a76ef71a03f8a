/**
 * What the bot does with an incoming update: a text command becomes a Dispatcher call whose
 * reply is rendered and sent; a button press re-runs a command line and, for Refresh, edits
 * the message in place.
 *
 * Refresh on a chart (photo) message sends a new photo instead of editMessageMedia: a chart
 * reply is often a photo plus continuation messages, and replacing only the photo would leave
 * the text under it stale; the old chart also stays readable as a record of earlier numbers.
 */
import type { Logger } from 'pino';
import type { CallbackQuery, Chat, InlineKeyboardMarkup, Message, User } from 'telegraf/types';
import type { Target } from '../../core/adapter.js';
import type { Caller, Dispatcher } from '../../core/dispatch.js';
import type { PaceTurn, SendPacer } from '../../delivery/pacer.js';
import type { ChatAdmins } from './admins.js';
import { callTelegram, describeError, outcomeForError, type TelegramApi } from './api.js';
import { buildKeyboard, decodeCallbackData, withRefresh } from './keyboard.js';
import { deliverRendering, editTextInPlace } from './outgoing.js';
import type { MessageGroups } from './message-groups.js';
import { renderForTelegram, type TelegramRendering } from './render.js';

export interface UpdateContext {
  api: TelegramApi;
  dispatcher: Dispatcher;
  log: Logger;
  /** Our username, so `/basis@otherbot` in a group is left to the other bot. */
  botUsername: () => string | undefined;
  /** The parts of recent multi-message replies, so Refresh can edit all of them. */
  groups: MessageGroups;
  admins: ChatAdmins;
  /** The outbox's limits, shared with pushes; without it replies go out unpaced (and wait out 429s). */
  pacer?: SendPacer;
}

/** An interactive reply waits out a short 429 itself; longer waits are not worth holding on to. */
const MAX_INLINE_WAIT_MS = 30_000;
const MAX_ATTEMPTS = 3;
const TYPING_AFTER_MS = 1_000;
const COMMAND_HEAD = /^\/([a-z0-9_]+)(?:@([a-z0-9_]+))?/i;

async function callerOf(context: UpdateContext, from: User | undefined, chat: Chat): Promise<Caller> {
  const name = from?.username ?? ([from?.first_name, from?.last_name].filter(Boolean).join(' ') || undefined);
  return {
    user: { id: String(from?.id ?? chat.id), name },
    chat: { id: String(chat.id), kind: chat.type === 'private' ? 'private' : 'group' },
    platform: 'telegram',
    isAdmin: await context.admins.isAdmin(chat, from?.id),
  };
}

function targetOf(chat: Chat): Target {
  return { platform: 'telegram', chatId: String(chat.id), kind: chat.type === 'private' ? 'private' : 'group' };
}

/** Runs sends to a chat inside a pacer turn (when there is a pacer), always leaving the line. */
async function inTurn<T>(context: UpdateContext, chat: Chat, work: (pace: PaceTurn | undefined) => Promise<T>): Promise<T> {
  const turn = context.pacer?.pace(targetOf(chat));
  try {
    return await work(turn);
  } finally {
    turn?.end();
  }
}

/**
 * Rewrites the line Telegram sends when someone opens the bot (`/start`, maybe with a deep
 * link payload) into `/help`, unless the registry has its own `start`.
 */
function withStartAsHelp(text: string, dispatcher: Dispatcher): string {
  const head = COMMAND_HEAD.exec(text);
  if (!head || head[1].toLowerCase() !== 'start' || dispatcher.find('start') || !dispatcher.find('help')) return text;
  return head[2] ? `/help@${head[2]}` : '/help';
}

/**
 * In a group, `/other` without @ may be meant for another bot: stay quiet about commands we
 * lack, and about `/cmd@otherbot` (checked here too, so it costs no getChatMember lookup).
 */
function isForSomeoneElse(text: string, dispatcher: Dispatcher, botUsername: string | undefined): boolean {
  const head = COMMAND_HEAD.exec(text);
  if (!head) return false;
  if (head[2]) return !!botUsername && head[2].toLowerCase() !== botUsername.toLowerCase();
  return !dispatcher.find(head[1].toLowerCase());
}

/**
 * Sends a reply to a command, paced with pushes when there is a pacer, waiting out short
 * 429s; remembers the parts of a reply with buttons.
 */
async function deliverInteractive(
  context: UpdateContext,
  chat: Chat,
  rendering: TelegramRendering,
  options: { keyboard?: InlineKeyboardMarkup; replyTo?: number },
): Promise<void> {
  const chatId = String(chat.id);
  const messageIds = await inTurn(context, chat, (pace) => deliverWithPauses(context, chatId, rendering, { ...options, pace }));
  if (options.keyboard && !rendering.photo) context.groups.remember(chatId, messageIds);
}

/** Delivers what it can and returns the ids of the messages that arrived. */
async function deliverWithPauses(
  context: UpdateContext,
  chatId: string,
  rendering: TelegramRendering,
  options: { keyboard?: InlineKeyboardMarkup; replyTo?: number; pace?: PaceTurn },
): Promise<number[]> {
  const messageIds: number[] = [];
  let skip = 0;
  // Attempts count failures in a row: a long reply under the per-chat limit makes progress
  // between 429s and may need many rounds.
  for (let attempt = 1; ; attempt += 1) {
    const result = await deliverRendering(context.api, chatId, rendering, { ...options, skip, log: context.log });
    messageIds.push(...result.messageIds);
    if (!result.error) return messageIds;
    if (result.delivered > skip) attempt = 1;
    const outcome = outcomeForError(result.error);
    const retry = outcome.status === 'retry-later' && outcome.retryAfterMs <= MAX_INLINE_WAIT_MS && attempt < MAX_ATTEMPTS;
    const details = { chatId, delivered: result.delivered, total: result.total, err: describeError(result.error) };
    if (!retry) {
      context.log.warn(details, 'telegram: reply not fully delivered');
      return messageIds;
    }
    context.log.debug(details, 'telegram: reply interrupted, resuming after a pause');
    skip = result.delivered;
    await new Promise((resolve) => setTimeout(resolve, outcome.retryAfterMs));
  }
}

/** Shows "typing…" when a command is slow (venues answering late), so the user knows it is coming. */
async function withTypingIndicator<T>(context: UpdateContext, chatId: number, work: () => Promise<T>): Promise<T> {
  const timer = setTimeout(() => {
    callTelegram(context.api, 'sendChatAction', { chat_id: chatId, action: 'typing' }).catch(() => undefined);
  }, TYPING_AFTER_MS);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
  }
}

export async function handleMessage(context: UpdateContext, message: Message): Promise<void> {
  if (!('text' in message) || !message.text.startsWith('/')) return;
  const { dispatcher } = context;
  const group = message.chat.type !== 'private';
  const line = withStartAsHelp(message.text, dispatcher);
  if (group && isForSomeoneElse(line, dispatcher, context.botUsername())) return;
  const result = await withTypingIndicator(context, message.chat.id, async () =>
    dispatcher.handleText(line, await callerOf(context, message.from, message.chat), context.botUsername()),
  );
  if (!result) return;
  const keyboard = buildKeyboard(result.reply.actions, result.ok ? line : undefined);
  await deliverInteractive(context, message.chat, renderForTelegram(result.reply), {
    keyboard,
    replyTo: group ? message.message_id : undefined,
  });
}

async function answer(context: UpdateContext, queryId: string, text?: string): Promise<void> {
  try {
    await callTelegram(context.api, 'answerCallbackQuery', { callback_query_id: queryId, text });
  } catch (error) {
    // Queries expire after a while; the work is done, so a late answer is not worth more.
    context.log.debug({ err: describeError(error) }, 'telegram: answerCallbackQuery failed');
  }
}

export async function handleCallbackQuery(context: UpdateContext, query: CallbackQuery): Promise<void> {
  const press = decodeCallbackData('data' in query ? query.data : undefined);
  const message = query.message;
  if (!press || !message) return answer(context, query.id, 'This button no longer works.');
  const chatId = String(message.chat.id);
  // The button runs as whoever pressed it, with their rights, not the rights of whoever it was sent to.
  const caller = await callerOf(context, query.from, message.chat);
  const result = await context.dispatcher.handleText(press.commandLine, caller, context.botUsername());
  if (!result) return answer(context, query.id, 'Nothing to run.');

  const rendering = renderForTelegram(result.reply);
  // A refresh that failed this time (a venue down) keeps its button so the user can try again.
  const actions = press.kind === 'refresh' ? withRefresh(result.reply.actions) : result.reply.actions;
  const keyboard = buildKeyboard(actions, press.kind === 'refresh' || result.ok ? press.commandLine : undefined);
  if (press.kind === 'refresh' && 'text' in message && !rendering.photo) {
    const parts = context.groups.partsEndingAt(chatId, message.message_id);
    const edited = await inTurn(context, message.chat, (pace) => editTextInPlace(context.api, chatId, parts, rendering.messages, keyboard, context.log, pace));
    if (edited) return answer(context, query.id, result.ok ? 'Updated' : undefined);
  }
  // Answered first: a paced reply may wait for the chat's limits, and the press must not time out meanwhile.
  await answer(context, query.id);
  await deliverInteractive(context, message.chat, rendering, { keyboard });
}
