/**
 * Sends a rendered reply to one chat as a sequence of parts (the photo, then each message),
 * stopping at the first failure and saying how far it got, so a retry can resume instead of
 * repeating what the chat already received.
 */
import type { Logger } from 'pino';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import type { PaceTurn } from '../../delivery/pacer.js';
import { callTelegram, chatIdFor, describeError, isMarkupRefused, isNotModified, retryAfterMsOf, type TelegramApi } from './api.js';
import { htmlToPlainText, type TelegramRendering } from './render.js';

export interface DeliveryOptions {
  /** Buttons, attached to the last part. */
  keyboard?: InlineKeyboardMarkup;
  /** Parts an interrupted earlier attempt already delivered. */
  skip?: number;
  /** Message the first part answers (a command in a group), if it still exists. */
  replyTo?: number;
  log?: Logger;
  /** Waits for the chat's and the bot's send limits before each part (interactive replies). */
  pace?: PaceTurn;
}

export interface DeliveryResult {
  /** Parts delivered so far, counting the skipped ones. */
  delivered: number;
  total: number;
  /** Ids of the messages this call delivered, in order. */
  messageIds: number[];
  /** The failure that stopped delivery, if any. */
  error?: unknown;
}

type SendPart = (html: boolean, extra: PartExtra) => Promise<{ message_id: number }>;
interface PartExtra {
  reply_markup?: InlineKeyboardMarkup;
  reply_parameters?: { message_id: number; allow_sending_without_reply: boolean };
}

export function partCount(rendering: TelegramRendering): number {
  return (rendering.photo ? 1 : 0) + rendering.messages.length;
}

function partsOf(api: TelegramApi, chatId: string, rendering: TelegramRendering): SendPart[] {
  const chat_id = chatIdFor(chatId);
  const parts: SendPart[] = [];
  const { photo } = rendering;
  if (photo) {
    parts.push((html, extra) =>
      callTelegram(api, 'sendPhoto', {
        chat_id,
        photo: { source: photo.png, filename: photo.filename },
        caption: photo.caption ? (html ? photo.caption : htmlToPlainText(photo.caption)) : undefined,
        parse_mode: html && photo.caption ? 'HTML' : undefined,
        ...extra,
      }),
    );
  }
  for (const text of rendering.messages) {
    parts.push((html, extra) =>
      callTelegram(api, 'sendMessage', {
        chat_id,
        text: html ? text : htmlToPlainText(text),
        parse_mode: html ? 'HTML' : undefined,
        link_preview_options: { is_disabled: true },
        ...extra,
      }),
    );
  }
  return parts;
}

/**
 * Delivers the parts not yet delivered. If Telegram refuses our HTML (which would be a bug
 * in the renderer), the part goes again as plain text: a readable message beats none.
 */
export async function deliverRendering(
  api: TelegramApi,
  chatId: string,
  rendering: TelegramRendering,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const parts = partsOf(api, chatId, rendering);
  const messageIds: number[] = [];
  let delivered = Math.min(options.skip ?? 0, parts.length);
  for (; delivered < parts.length; delivered += 1) {
    const extra: PartExtra = {};
    if (delivered === parts.length - 1 && options.keyboard) extra.reply_markup = options.keyboard;
    if (delivered === 0 && options.replyTo !== undefined) {
      extra.reply_parameters = { message_id: options.replyTo, allow_sending_without_reply: true };
    }
    try {
      messageIds.push((await paced(options.pace, () => sendWithFallback(parts[delivered], extra, options.log))).message_id);
    } catch (error) {
      return { delivered, total: parts.length, messageIds, error };
    }
  }
  return { delivered, total: parts.length, messageIds };
}

/** One request under a pacer's turn: waits for room, then reports when it finished (and a 429's wait). */
async function paced<T>(pace: PaceTurn | undefined, request: () => Promise<T>): Promise<T> {
  if (!pace) return request();
  await pace.next();
  try {
    const result = await request();
    pace.done();
    return result;
  } catch (error) {
    pace.done(retryAfterMsOf(error));
    throw error;
  }
}

async function sendWithFallback(part: SendPart, extra: PartExtra, log?: Logger): Promise<{ message_id: number }> {
  try {
    return await part(true, extra);
  } catch (error) {
    if (!isMarkupRefused(error)) throw error;
    log?.error({ err: describeError(error) }, 'telegram: HTML refused, sending the part as plain text (renderer bug)');
    return await part(false, extra);
  }
}

/**
 * Replaces the text of a reply's messages in place, one new message per old one, the
 * buttons on the last. False when a message cannot be edited (too old, gone, not text):
 * the caller then sends a new reply instead.
 */
export async function editTextInPlace(
  api: TelegramApi,
  chatId: string,
  messageIds: number[],
  messages: string[],
  keyboard: InlineKeyboardMarkup | undefined,
  log: Logger,
  pace?: PaceTurn,
): Promise<boolean> {
  if (messageIds.length !== messages.length) return false;
  for (const [index, messageId] of messageIds.entries()) {
    const last = index === messageIds.length - 1;
    const edited = await paced(pace, () => editOne(api, chatId, messageId, messages[index], last ? keyboard : undefined, log));
    if (!edited) return false;
  }
  return true;
}

async function editOne(
  api: TelegramApi,
  chatId: string,
  messageId: number,
  html: string,
  keyboard: InlineKeyboardMarkup | undefined,
  log: Logger,
): Promise<boolean> {
  try {
    await callTelegram(api, 'editMessageText', {
      chat_id: chatIdFor(chatId),
      message_id: messageId,
      text: html,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: keyboard,
    });
    return true;
  } catch (error) {
    // Nothing changed since the last refresh: the message already shows the answer.
    if (isNotModified(error)) return true;
    log.info({ err: describeError(error), chatId, messageId }, 'telegram: could not edit the message, sending a new one');
    return false;
  }
}
