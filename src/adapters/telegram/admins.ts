/**
 * Whether a Telegram user may administer a chat (Caller.isAdmin): always in a private chat;
 * in a group, what getChatMember says (creator or administrator). Answers are cached for a
 * minute per chat and user, so a burst of commands in a busy group costs one lookup, and a
 * demoted admin loses the right within a minute. A failed lookup means "not an admin" and is
 * not cached: refusing a settings change is safer than allowing it, and the next try asks again.
 */
import type { Logger } from 'pino';
import { callTelegram, chatIdFor, describeError, type TelegramApi } from './api.js';

const CACHE_MS = 60_000;
const MAX_ENTRIES = 10_000;
const ADMIN_STATUSES = new Set(['creator', 'administrator']);

export class ChatAdmins {
  private readonly cache = new Map<string, { admin: boolean; expiresAt: number }>();
  /** Lookups on the wire: a burst of commands from one user waits for the same answer. */
  private readonly pending = new Map<string, Promise<boolean>>();

  constructor(
    private readonly api: TelegramApi,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async isAdmin(chat: { id: number | string; type: string }, userId: number | undefined): Promise<boolean> {
    if (chat.type === 'private') return true;
    if (userId === undefined) return false;
    const key = `${chat.id}:${userId}`;
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.admin;
    let lookup = this.pending.get(key);
    if (!lookup) {
      lookup = this.lookUp(key, chat.id, userId).finally(() => this.pending.delete(key));
      this.pending.set(key, lookup);
    }
    return lookup;
  }

  private async lookUp(key: string, chatId: number | string, userId: number): Promise<boolean> {
    try {
      const member = await callTelegram(this.api, 'getChatMember', { chat_id: chatIdFor(String(chatId)), user_id: userId });
      const admin = ADMIN_STATUSES.has(member.status);
      this.remember(key, admin);
      return admin;
    } catch (error) {
      this.log.warn({ err: describeError(error), chatId, userId }, 'telegram: getChatMember failed; treating the caller as not an admin');
      return false;
    }
  }

  private remember(key: string, admin: boolean): void {
    const now = this.now();
    if (this.cache.size >= MAX_ENTRIES) {
      for (const [old, entry] of this.cache) if (entry.expiresAt <= now) this.cache.delete(old);
      // Maps iterate in insertion order: drop the oldest when many chats are active at once.
      while (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.delete(key);
    this.cache.set(key, { admin, expiresAt: now + CACHE_MS });
  }
}
