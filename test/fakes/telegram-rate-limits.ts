/**
 * Telegram's published send limits as sliding windows: about one message a second per chat,
 * twenty a minute per group, thirty a second overall. Over a limit the fake answers 429 with
 * `retry_after` in whole seconds, as Telegram does.
 */

export interface RateLimitOptions {
  /** Messages per second to one chat (default 1). */
  perChatPerSecond?: number;
  /** Messages per minute to one group, i.e. a chat with a negative id (default 20). */
  perGroupPerMinute?: number;
  /** Messages per second over all chats (default 30). */
  globalPerSecond?: number;
}

interface Window {
  limit: number;
  spanMs: number;
  stamps: number[];
}

function window(limit: number, spanMs: number): Window {
  return { limit, spanMs, stamps: [] };
}

/** Seconds to wait before the window has room, or 0 when it has room now. */
function waitSeconds(slot: Window, now: number): number {
  while (slot.stamps.length > 0 && slot.stamps[0] <= now - slot.spanMs) slot.stamps.shift();
  if (slot.stamps.length < slot.limit) return 0;
  return Math.max(1, Math.ceil((slot.stamps[0] + slot.spanMs - now) / 1000));
}

export class SendRateLimiter {
  private readonly global: Window;
  private readonly chats = new Map<string, Window>();
  private readonly groups = new Map<string, Window>();
  private readonly options: Required<RateLimitOptions>;

  constructor(options: RateLimitOptions = {}, private readonly now: () => number = Date.now) {
    this.options = { perChatPerSecond: 1, perGroupPerMinute: 20, globalPerSecond: 30, ...options };
    this.global = window(this.options.globalPerSecond, 1000);
  }

  private slots(chatId: string): Window[] {
    let chat = this.chats.get(chatId);
    if (!chat) this.chats.set(chatId, (chat = window(this.options.perChatPerSecond, 1000)));
    const slots = [this.global, chat];
    if (chatId.startsWith('-')) {
      let group = this.groups.get(chatId);
      if (!group) this.groups.set(chatId, (group = window(this.options.perGroupPerMinute, 60_000)));
      slots.push(group);
    }
    return slots;
  }

  /** Takes a send slot for the chat; returns retry_after seconds instead when over a limit. */
  take(chatId: string): number {
    const now = this.now();
    const slots = this.slots(chatId);
    const wait = Math.max(...slots.map((slot) => waitSeconds(slot, now)));
    if (wait > 0) return wait;
    for (const slot of slots) slot.stamps.push(now);
    return 0;
  }
}
