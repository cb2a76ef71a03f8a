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

/** At most `limit` events in any span of `spanMs`: the Telegram and Discord fakes both count this way. */
export class SlidingCounter {
  private readonly stamps: number[] = [];

  constructor(
    readonly limit: number,
    private readonly spanMs: number,
  ) {}

  /** Milliseconds until there is room, 0 when there is room now. */
  waitMs(now: number): number {
    while (this.stamps.length > 0 && this.stamps[0]! <= now - this.spanMs) this.stamps.shift();
    return this.stamps.length < this.limit ? 0 : this.stamps[0]! + this.spanMs - now;
  }

  take(now: number): void {
    this.stamps.push(now);
  }

  /** Room left now (call waitMs first so expired stamps are gone). */
  remaining(): number {
    return Math.max(0, this.limit - this.stamps.length);
  }

  /** Milliseconds until the oldest counted event leaves the span (0 when none is counted). */
  resetAfterMs(now: number): number {
    return this.stamps.length === 0 ? 0 : Math.max(0, this.stamps[0]! + this.spanMs - now);
  }
}

/** Seconds to wait before the window has room, or 0 when it has room now (Telegram: whole seconds). */
function waitSeconds(slot: SlidingCounter, now: number): number {
  const waitMs = slot.waitMs(now);
  return waitMs === 0 ? 0 : Math.max(1, Math.ceil(waitMs / 1000));
}

export class SendRateLimiter {
  private readonly global: SlidingCounter;
  private readonly chats = new Map<string, SlidingCounter>();
  private readonly groups = new Map<string, SlidingCounter>();
  private readonly options: Required<RateLimitOptions>;

  constructor(options: RateLimitOptions = {}, private readonly now: () => number = Date.now) {
    this.options = { perChatPerSecond: 1, perGroupPerMinute: 20, globalPerSecond: 30, ...options };
    this.global = new SlidingCounter(this.options.globalPerSecond, 1000);
  }

  private slots(chatId: string): SlidingCounter[] {
    let chat = this.chats.get(chatId);
    if (!chat) this.chats.set(chatId, (chat = new SlidingCounter(this.options.perChatPerSecond, 1000)));
    const slots = [this.global, chat];
    if (chatId.startsWith('-')) {
      let group = this.groups.get(chatId);
      if (!group) this.groups.set(chatId, (group = new SlidingCounter(this.options.perGroupPerMinute, 60_000)));
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
    for (const slot of slots) slot.take(now);
    return 0;
  }
}
