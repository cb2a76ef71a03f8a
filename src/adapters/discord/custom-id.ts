/**
 * Button custom ids carry everything needed to re-run a command, `refresh:basis:{"asset":"BTC"}`,
 * so a click works after a restart without any server-side state. Discord caps them at 100
 * characters; a reply whose arguments do not fit simply gets no button.
 *
 * A Reply action whose id is a command line (`/alert pause 3`) travels as that line itself:
 * the id starts with `/`, which no refresh id does. A modified client can forge any custom
 * id, so a click only ever runs a line the clicking user could have typed, as that user.
 */
import type { ArgValue } from '../../core/command.js';
import type { ReplyAction } from '../../core/reply.js';
import { stripControls } from '../../render/table.js';

export const CUSTOM_ID_LIMIT = 100;
/** The Reply action that re-runs the command and updates its message in place. */
export const REFRESH_ACTION = 'refresh';

export interface ActionCall {
  actionId: string;
  /** Dispatcher command name, `basis` or `alert add`. */
  command: string;
  args: Record<string, ArgValue>;
}

const ACTION_ID = /^[a-z][a-z0-9-]*$/;
const COMMAND = /^[a-z0-9_-]+( [a-z0-9_-]+)?$/;

export function encodeCustomId(call: {
  actionId: string;
  command: string;
  args: Record<string, ArgValue | undefined>;
}): string | undefined {
  if (!ACTION_ID.test(call.actionId) || !COMMAND.test(call.command)) return undefined;
  const args = Object.fromEntries(Object.entries(call.args).filter(([, value]) => value !== undefined));
  const customId = `${call.actionId}:${call.command}:${JSON.stringify(args)}`;
  return customId.length <= CUSTOM_ID_LIMIT ? customId : undefined;
}

function isArgValue(value: unknown): value is ArgValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** Reads a custom id back; undefined for anything this bot did not write (or an old format). */
export function decodeCustomId(customId: string): ActionCall | undefined {
  const first = customId.indexOf(':');
  const second = customId.indexOf(':', first + 1);
  if (first < 0 || second < 0) return undefined;
  const actionId = customId.slice(0, first);
  const command = customId.slice(first + 1, second);
  if (!ACTION_ID.test(actionId) || !COMMAND.test(command)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(customId.slice(second + 1));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed);
  if (!entries.every(([, value]) => isArgValue(value))) return undefined;
  return { actionId, command, args: Object.fromEntries(entries) as Record<string, ArgValue> };
}

/** Whether a Reply action is a command line to run as whoever clicks it (`/alert remove 3`). */
export function isCommandLineAction(action: ReplyAction): boolean {
  return action.id.startsWith('/');
}

/** The custom id for a command-line action: the line, white space collapsed; undefined when too long. */
export function encodeCommandLine(line: string): string | undefined {
  const compact = stripControls(line).trim().replace(/\s+/g, ' ');
  if (!compact.startsWith('/') || compact.length < 2 || compact.length > CUSTOM_ID_LIMIT) return undefined;
  return compact;
}

/** The command line a button carries, or undefined for any other custom id. */
export function decodeCommandLine(customId: string): string | undefined {
  return customId.startsWith('/') ? encodeCommandLine(customId) : undefined;
}

/**
 * The custom id for any action of a reply: a command line always; Refresh only when there
 * is a command to re-run (a pushed alert has none) and the reply was not an error.
 */
export function actionCustomId(action: ReplyAction, rerun?: { command: string; args: Record<string, ArgValue | undefined> }): string | undefined {
  if (isCommandLineAction(action)) return encodeCommandLine(action.id);
  return rerun && action.id === REFRESH_ACTION ? encodeCustomId({ actionId: REFRESH_ACTION, ...rerun }) : undefined;
}
