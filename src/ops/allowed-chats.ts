/**
 * ALLOWED_CHATS: the chats a private deployment answers in. Telegram chat ids (a group's
 * -100…, or a user's id for their private chat) and Discord server (guild) ids, comma
 * separated. An entry may say its platform (`telegram:-1001234`, `discord:81234…`); a
 * bare id matches either platform (Telegram ids and Discord snowflakes cannot collide in
 * practice: Discord's have 17+ digits and are far above any Telegram id).
 */
import type { Caller } from '../core/command.js';

export type ChatPlatform = 'telegram' | 'discord';

export interface AllowedChat {
  /** Undefined: either platform. */
  platform?: ChatPlatform;
  id: string;
}

const ENTRY = /^(?:(telegram|discord):)?(-?\d{1,25})$/;

export class AllowedChatsError extends Error {}

/** Parses the variable's text; throws AllowedChatsError naming the first bad entry. */
export function parseAllowedChats(text: string): AllowedChat[] {
  const entries = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new AllowedChatsError('list at least one chat id, or leave ALLOWED_CHATS unset to answer everywhere');
  return entries.map((entry) => {
    const match = ENTRY.exec(entry.toLowerCase());
    if (!match) {
      throw new AllowedChatsError(
        `"${entry}" is not a chat id: list Telegram chat ids (e.g. -1001234567890) and Discord server ids, comma-separated, optionally prefixed telegram: or discord:`,
      );
    }
    return { platform: match[1] as ChatPlatform | undefined, id: match[2] };
  });
}

/**
 * The id that identifies where a caller is: on Telegram the chat; on Discord the server,
 * or in a DM (no server) the user, so `discord:<user id>` can allow one person's DMs.
 */
export function scopeId(caller: Caller): string {
  if (caller.platform === 'discord') return caller.guildId ?? caller.user.id;
  return caller.chat.id;
}

export interface AllowedChatsPolicyOptions {
  /** Called for each refused caller (e.g. metrics.chatRefused). */
  onRefused?: (caller: Caller) => void;
}

/**
 * The Dispatcher's `allowChat` predicate for a list; the console is never restricted
 * (it is the operator's own terminal).
 */
export function allowedChatsPolicy(list: AllowedChat[], options: AllowedChatsPolicyOptions = {}): (caller: Caller) => boolean {
  const anyPlatform = new Set(list.filter((entry) => !entry.platform).map((entry) => entry.id));
  const byPlatform = new Set(list.filter((entry) => entry.platform).map((entry) => `${entry.platform}:${entry.id}`));
  return (caller) => {
    if (caller.platform === 'console') return true;
    const id = scopeId(caller);
    const allowed = anyPlatform.has(id) || byPlatform.has(`${caller.platform}:${id}`);
    if (!allowed) options.onRefused?.(caller);
    return allowed;
  };
}
