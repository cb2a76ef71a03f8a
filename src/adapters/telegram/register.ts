/**
 * Turns the command registry into Telegram's command menu (setMyCommands). Telegram refuses
 * the whole list if one entry breaks its rules, so entries are cleaned here and the ones that
 * cannot be fixed are left out with a warning rather than losing the menu altogether.
 */
import type { Logger } from 'pino';
import type { BotCommand } from 'telegraf/types';
import type { Command } from '../../core/command.js';
import { stripControls } from '../../render/table.js';
import { callTelegram, type TelegramApi } from './api.js';

export const COMMAND_NAME = /^[a-z0-9_]{1,32}$/;
export const DESCRIPTION_LIMIT = 256;
export const COMMAND_LIMIT = 100;

function description(command: Command): string {
  const text = stripControls(command.description).replace(/\s+/g, ' ').trim() || command.name;
  return text.length > DESCRIPTION_LIMIT ? `${text.slice(0, DESCRIPTION_LIMIT - 1)}…` : text;
}

/** The menu entries for a registry, in registry order; `skipped` names what Telegram would refuse. */
export function telegramCommandList(commands: Command[]): { commands: BotCommand[]; skipped: string[] } {
  const list: BotCommand[] = [];
  const skipped: string[] = [];
  for (const command of commands) {
    const name = command.name.toLowerCase();
    if (!COMMAND_NAME.test(name) || list.some((entry) => entry.command === name) || list.length >= COMMAND_LIMIT) {
      skipped.push(command.name);
      continue;
    }
    list.push({ command: name, description: description(command) });
  }
  return { commands: list, skipped };
}

/**
 * Publishes the command menu. A failure is logged and reported as false: the bot answers
 * typed commands just as well without a menu, so it must not stop for this.
 */
export async function registerCommands(api: TelegramApi, commands: Command[], log: Logger): Promise<boolean> {
  const { commands: list, skipped } = telegramCommandList(commands);
  if (skipped.length > 0) log.warn({ skipped }, 'telegram: commands left out of the menu (name must be [a-z0-9_]{1,32}, at most 100)');
  try {
    await callTelegram(api, 'setMyCommands', { commands: list });
    log.info({ count: list.length }, 'telegram: command menu registered');
    return true;
  } catch (error) {
    log.warn({ err: error }, 'telegram: setMyCommands failed; the bot keeps running without an up-to-date menu');
    return false;
  }
}
