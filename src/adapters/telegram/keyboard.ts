/**
 * Inline buttons under a reply and the callback data behind them. Telegram hands callback
 * data back verbatim when a button is pressed, so the data carries what to do:
 * `r:<command line>` re-runs the command and edits the message in place (Refresh), and
 * `a:<action id>` runs a Reply action. A Reply action id other than `refresh` is a command
 * line (`curve BTC` or `/curve BTC`) whose reply is sent as a new message.
 *
 * Callback data can be forged by a modified client, so a press is only ever turned into a
 * command line that the user could have typed themselves.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import type { ReplyAction } from '../../core/reply.js';
import { stripControls } from '../../render/table.js';

/** Telegram refuses callback data longer than this many bytes (BUTTON_DATA_INVALID). */
export const CALLBACK_DATA_LIMIT = 64;
export const REFRESH_ACTION_ID = 'refresh';
const REFRESH_LABEL = 'Refresh';
const BUTTONS_PER_ROW = 3;
const LABEL_LIMIT = 64;

export type ButtonPress = { kind: 'refresh'; commandLine: string } | { kind: 'action'; commandLine: string };

function fits(data: string): boolean {
  return Buffer.byteLength(data, 'utf8') <= CALLBACK_DATA_LIMIT;
}

/** Collapses white space so a command line spends as few of the 64 bytes as possible. */
export function compactCommandLine(text: string): string {
  return stripControls(text).trim().replace(/\s+/g, ' ');
}

function asCommandLine(text: string): string {
  const line = compactCommandLine(text);
  return line.startsWith('/') ? line : `/${line}`;
}

/** Callback data for a Refresh button, or undefined when the line is too long to carry. */
export function refreshData(commandLine: string): string | undefined {
  const data = `r:${compactCommandLine(commandLine)}`;
  return fits(data) ? data : undefined;
}

export function decodeCallbackData(data: string | undefined): ButtonPress | undefined {
  if (!data) return undefined;
  const body = data.slice(2).trim();
  if (!body) return undefined;
  if (data.startsWith('r:')) return { kind: 'refresh', commandLine: asCommandLine(body) };
  if (data.startsWith('a:')) return { kind: 'action', commandLine: asCommandLine(body) };
  return undefined;
}

function label(text: string): string {
  const clean = stripControls(text).trim();
  return (clean.length > LABEL_LIMIT ? `${clean.slice(0, LABEL_LIMIT - 1)}…` : clean) || '•';
}

/** The actions with a Refresh among them: a refresh that failed this time keeps its button. */
export function withRefresh(actions: ReplyAction[] = []): ReplyAction[] {
  return actions.some((action) => action.id === REFRESH_ACTION_ID) ? actions : [{ id: REFRESH_ACTION_ID, label: REFRESH_LABEL }, ...actions];
}

/**
 * Buttons for a reply's actions. The `refresh` action becomes a Refresh button carrying
 * `refreshLine`, the command line that produced the reply; without one (a pushed alert) or
 * when the line is too long to carry, there is no Refresh. Undefined when nothing is left.
 */
export function buildKeyboard(actions: ReplyAction[] = [], refreshLine?: string): InlineKeyboardMarkup | undefined {
  const buttons: InlineKeyboardButton.CallbackButton[] = [];
  const refresh = refreshLine === undefined ? undefined : refreshData(refreshLine);
  const refreshAction = actions.find((action) => action.id === REFRESH_ACTION_ID);
  if (refresh && refreshAction) buttons.push({ text: label(refreshAction.label), callback_data: refresh });
  for (const action of actions) {
    if (action.id === REFRESH_ACTION_ID) continue;
    const data = `a:${compactCommandLine(action.id)}`;
    if (fits(data)) buttons.push({ text: label(action.label), callback_data: data });
  }
  if (buttons.length === 0) return undefined;
  const rows: InlineKeyboardButton[][] = [];
  for (let index = 0; index < buttons.length; index += BUTTONS_PER_ROW) rows.push(buttons.slice(index, index + BUTTONS_PER_ROW));
  return { inline_keyboard: rows };
}
