/**
 * What the fake Bot API remembers: the update queue and the long polls waiting on it, the
 * messages the bot sent (with their edits), button presses waiting for an answer, and the
 * change notifications `waitFor` listens to.
 */
import type http from 'node:http';

export type ChatType = 'private' | 'group' | 'supergroup';
export type Update = { update_id: number } & Record<string, unknown>;
type Keyboard = { inline_keyboard: { text: string; callback_data?: string }[][] };

/** A message the bot sent, as the fake received it. */
export interface FakeMessage {
  chatId: string;
  messageId: number;
  method: 'sendMessage' | 'sendPhoto';
  /** The text (sendMessage) or caption (sendPhoto) exactly as sent, markup included. */
  text?: string;
  /** The same after Telegram's parsing: what the user reads. */
  visibleText: string;
  parseMode?: string;
  replyMarkup?: Keyboard;
  /** The message this one answers (reply_parameters.message_id). */
  replyTo?: number;
  photo?: { bytes: Buffer; filename: string };
  edits: { text: string; visibleText: string; replyMarkup?: Keyboard; at: number }[];
  at: number;
}

/** Every request the fake answered. */
export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  /** HTTP status answered (0 for a dropped or held connection). */
  status: number;
  description?: string;
  at: number;
}

interface PendingPoll {
  offset: number;
  limit: number;
  finish: (result: Update[] | 'conflict') => void;
}

export class FakeTelegramState {
  readonly sent: FakeMessage[] = [];
  readonly calls: ApiCall[] = [];
  readonly callbackAnswers: { id: string; text?: string }[] = [];
  commands: { command: string; description: string }[] | undefined;
  webhook: { url: string; secretToken?: string } | undefined;
  readonly botUser: { id: number; is_bot: true; first_name: string; username: string };
  private updates: Update[] = [];
  private polls = new Set<PendingPoll>();
  private nextUpdateId = 1;
  private nextCallbackId = 1;
  private readonly messageIds = new Map<string, number>();
  private readonly chatTypes = new Map<string, ChatType>();
  private readonly openCallbacks = new Set<string>();
  private readonly listeners = new Set<() => void>();

  constructor(botUsername: string, private readonly maxPollHoldMs: number) {
    this.botUser = { id: 777000111, is_bot: true, first_name: 'Basis Test Bot', username: botUsername };
  }

  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  pendingCount(): number {
    return this.updates.length;
  }

  private nextMessageId(chatId: string): number {
    const id = (this.messageIds.get(chatId) ?? 0) + 1;
    this.messageIds.set(chatId, id);
    return id;
  }

  private chat(chatId: string): { id: number; type: ChatType } {
    return { id: Number(chatId), type: this.chatTypes.get(chatId) ?? (chatId.startsWith('-') ? 'supergroup' : 'private') };
  }

  enqueue(update: Update): Update {
    this.updates.push(update);
    for (const poll of [...this.polls]) {
      const ready = this.updates.filter((candidate) => candidate.update_id >= poll.offset).slice(0, poll.limit);
      if (ready.length > 0) poll.finish(ready);
    }
    this.changed();
    return update;
  }

  messageUpdate(chatId: string, text: string, from: { fromId?: number; chatType?: ChatType; username?: string } = {}): Update {
    if (from.chatType) this.chatTypes.set(chatId, from.chatType);
    const chat = this.chat(chatId);
    const command = /^\/\S+/.exec(text);
    return {
      update_id: this.nextUpdateId++,
      message: {
        message_id: this.nextMessageId(chatId),
        date: Math.floor(Date.now() / 1000),
        chat,
        from: { id: from.fromId ?? (chat.type === 'private' ? chat.id : 1001), is_bot: false, first_name: 'Tester', username: from.username },
        text,
        entities: command ? [{ type: 'bot_command', offset: 0, length: command[0].length }] : undefined,
      },
    };
  }

  callbackUpdate(chatId: string, messageId: number, data: string, fromId?: number): Update {
    const id = String(this.nextCallbackId++);
    this.openCallbacks.add(id);
    const sent = this.findSent(chatId, messageId);
    const chat = this.chat(chatId);
    return {
      update_id: this.nextUpdateId++,
      callback_query: {
        id,
        from: { id: fromId ?? (chat.type === 'private' ? chat.id : 1001), is_bot: false, first_name: 'Tester' },
        chat_instance: `ci-${chatId}`,
        data,
        message: sent ? this.messageObject(sent) : { chat, message_id: messageId, date: 0 },
      },
    };
  }

  /** Drops confirmed updates, then answers at once or holds the poll until updates or timeout. */
  poll(offset: number, limit: number, timeoutSeconds: number, response: http.ServerResponse): Promise<Update[] | 'conflict'> {
    if (offset > 0) this.updates = this.updates.filter((update) => update.update_id >= offset);
    // Telegram ends an older poll when another arrives: the sign of a second bot instance.
    for (const older of [...this.polls]) older.finish('conflict');
    const ready = this.updates.slice(0, limit);
    if (ready.length > 0 || timeoutSeconds <= 0) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const poll: PendingPoll = {
        offset,
        limit,
        finish: (result) => {
          clearTimeout(timer);
          this.polls.delete(poll);
          resolve(result);
        },
      };
      const timer = setTimeout(() => poll.finish([]), Math.min(timeoutSeconds * 1000, this.maxPollHoldMs));
      response.on('close', () => poll.finish([]));
      this.polls.add(poll);
    });
  }

  releasePolls(): void {
    for (const poll of [...this.polls]) poll.finish([]);
  }

  deleteWebhook(dropPending: boolean): true {
    this.webhook = undefined;
    if (dropPending) this.updates = [];
    return true;
  }

  findSent(chatId: string, messageId: number): FakeMessage | undefined {
    return this.sent.find((message) => message.chatId === chatId && message.messageId === messageId);
  }

  messageObject(message: FakeMessage): Record<string, unknown> {
    const text = message.method === 'sendMessage' ? { text: message.visibleText } : { caption: message.visibleText };
    const photo = message.photo
      ? { photo: [{ file_id: `photo-${message.chatId}-${message.messageId}`, file_unique_id: `u${message.messageId}`, width: 800, height: 450, file_size: message.photo.bytes.length }] }
      : {};
    return {
      message_id: message.messageId,
      date: Math.floor(message.at / 1000),
      chat: this.chat(message.chatId),
      from: this.botUser,
      ...text,
      ...photo,
      reply_markup: message.replyMarkup,
    };
  }

  storeSent(
    method: FakeMessage['method'],
    chatId: string,
    params: Record<string, unknown>,
    visibleText: string,
    photo?: { bytes: Buffer; filename: string },
  ): Record<string, unknown> {
    const message: FakeMessage = {
      chatId,
      messageId: this.nextMessageId(chatId),
      method,
      text: (method === 'sendMessage' ? params.text : params.caption) as string | undefined,
      visibleText,
      parseMode: params.parse_mode as string | undefined,
      replyMarkup: params.reply_markup as Keyboard | undefined,
      replyTo: (params.reply_parameters as { message_id?: number } | undefined)?.message_id,
      photo,
      edits: [],
      at: Date.now(),
    };
    this.sent.push(message);
    return this.messageObject(message);
  }

  edit(message: FakeMessage, params: Record<string, unknown>, visibleText: string): Record<string, unknown> {
    const replyMarkup = params.reply_markup as Keyboard | undefined;
    message.edits.push({ text: params.text as string, visibleText, replyMarkup, at: Date.now() });
    Object.assign(message, { text: params.text, visibleText, replyMarkup, parseMode: params.parse_mode });
    return this.messageObject(message);
  }

  answerCallback(id: string, text?: string): boolean {
    if (!this.openCallbacks.delete(id)) return false;
    this.callbackAnswers.push({ id, text });
    return true;
  }

  waitFor<T>(predicate: () => T | undefined | false | null, timeoutMs = 5_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const value = predicate();
        if (value) {
          done();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`fake Telegram: waitFor timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      // Also poll: a predicate may look at things outside the fake (the adapter's state).
      const ticker = setInterval(check, 25);
      const done = (): void => {
        clearTimeout(timer);
        clearInterval(ticker);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }
}
