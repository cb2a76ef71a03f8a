/**
 * How the fake Bot API reads a request and checks it the way Telegram does: parameters from
 * JSON, form or multipart bodies, HTML and length limits, button data, the command menu.
 */
import type http from 'node:http';
import { parseTelegramHtml } from './telegram-html.js';

export class ApiFailure extends Error {
  constructor(readonly code: number, readonly description: string, readonly parameters?: Record<string, unknown>) {
    super(description);
  }
}

export const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden: bot was blocked by the user',
  404: 'Not Found',
  409: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};
export const CHAT_STATES = {
  blocked: [403, 'Forbidden: bot was blocked by the user'],
  kicked: [403, 'Forbidden: bot was kicked from the group chat'],
  deactivated: [403, 'Forbidden: user is deactivated'],
  'not-found': [400, 'Bad Request: chat not found'],
} as const;
const JSON_FIELDS = ['reply_markup', 'reply_parameters', 'link_preview_options', 'commands', 'allowed_updates', 'media'];

export async function readParams(request: http.IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const type = request.headers['content-type'] ?? '';
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (type.includes('application/json') && body.length > 0) Object.assign(params, JSON.parse(body.toString('utf8')));
  else if (type.includes('multipart/form-data') || type.includes('application/x-www-form-urlencoded')) {
    // The web platform's own form parser (undici) does multipart without a dependency.
    const form = await new Response(body, { headers: { 'content-type': type } }).formData();
    for (const [key, value] of form.entries()) {
      params[key] = typeof value === 'string' ? value : { bytes: Buffer.from(await value.arrayBuffer()), filename: value.name };
    }
  }
  for (const field of JSON_FIELDS) if (typeof params[field] === 'string') params[field] = JSON.parse(params[field] as string);
  return params;
}

export function parseText(raw: unknown, parseMode: unknown, limit: number, kind: 'text' | 'caption'): string {
  const text = typeof raw === 'string' ? raw : '';
  let visible = text;
  if (parseMode === 'HTML') {
    const parsed = parseTelegramHtml(text);
    if (!parsed.ok) throw new ApiFailure(400, parsed.error);
    visible = parsed.text;
  }
  if (kind === 'text' && visible.trim() === '') throw new ApiFailure(400, 'Bad Request: message text is empty');
  if (visible.length > limit) throw new ApiFailure(400, kind === 'text' ? 'Bad Request: message is too long' : 'Bad Request: message caption is too long');
  return visible;
}

export function checkKeyboard(markup: unknown): void {
  const rows = (markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard ?? [];
  for (const button of rows.flat()) {
    const size = Buffer.byteLength(button.callback_data ?? '', 'utf8');
    if (button.callback_data !== undefined && (size < 1 || size > 64)) throw new ApiFailure(400, 'Bad Request: BUTTON_DATA_INVALID');
  }
}

export function checkCommands(commands: unknown): { command: string; description: string }[] {
  if (!Array.isArray(commands) || commands.length > 100) throw new ApiFailure(400, 'Bad Request: BOT_COMMANDS_TOO_MUCH');
  for (const entry of commands as { command: string; description: string }[]) {
    if (!/^[a-z0-9_]{1,32}$/.test(entry.command)) throw new ApiFailure(400, 'Bad Request: BOT_COMMAND_INVALID');
    if (!entry.description || entry.description.length > 256) throw new ApiFailure(400, 'Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
  }
  return commands;
}

