/**
 * Button custom ids carry everything needed to re-run a command, `refresh:basis:{"asset":"BTC"}`,
 * so a click works after a restart without any server-side state. Discord caps them at 100
 * characters; a reply whose arguments do not fit simply gets no button.
 */
import type { ArgValue } from '../../core/command.js';

export const CUSTOM_ID_LIMIT = 100;

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
