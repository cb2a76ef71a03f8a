import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { REJECTED_RETRY_MS, TRANSIENT_RETRY_MS, chatIdFor, outcomeForError, retryAfterMsOf } from '../../../src/adapters/telegram/api.js';

function telegramError(code: number, description: string, parameters?: Record<string, number>): TelegramError {
  return new TelegramError({ error_code: code, description, parameters });
}

describe('outcomeForError', () => {
  it('turns 429 into retry-later after retry_after seconds', () => {
    expect(outcomeForError(telegramError(429, 'Too Many Requests: retry after 7', { retry_after: 7 }))).toMatchObject({
      status: 'retry-later',
      retryAfterMs: 7_000,
    });
  });

  it('marks blocked, kicked, deactivated and missing chats unreachable', () => {
    for (const error of [
      telegramError(403, 'Forbidden: bot was blocked by the user'),
      telegramError(403, 'Forbidden: bot was kicked from the group chat'),
      telegramError(403, 'Forbidden: user is deactivated'),
      telegramError(400, 'Bad Request: chat not found'),
    ]) {
      expect(outcomeForError(error)).toEqual({ status: 'unreachable', reason: `${error.code}: ${error.description}` });
    }
    const moved = outcomeForError(telegramError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -100123 }));
    expect(moved).toMatchObject({ status: 'unreachable', reason: expect.stringContaining('-100123') });
  });

  it('retries 5xx and network failures soon, and other refusals much later', () => {
    expect(outcomeForError(telegramError(502, 'Bad Gateway'))).toMatchObject({ status: 'retry-later', retryAfterMs: TRANSIENT_RETRY_MS });
    const network = Object.assign(new Error('connect ECONNREFUSED'), { name: 'FetchError' });
    expect(outcomeForError(network)).toMatchObject({ status: 'retry-later', retryAfterMs: TRANSIENT_RETRY_MS });
    expect(outcomeForError(telegramError(404, 'Not Found'))).toMatchObject({
      status: 'retry-later',
      retryAfterMs: REJECTED_RETRY_MS,
      reason: expect.stringMatching(/^rejected/),
    });
  });

  it('drops a message Telegram refuses for its content (400) but keeps the chat', () => {
    for (const description of ['Bad Request: message is too long', "Bad Request: can't parse entities: Unsupported start tag", 'Bad Request: BUTTON_DATA_INVALID']) {
      expect(outcomeForError(telegramError(400, description))).toEqual({ status: 'rejected', reason: `400: ${description}` });
    }
  });

  it('tells how long a 429 asks to wait, and nothing for other errors', () => {
    expect(retryAfterMsOf(telegramError(429, 'Too Many Requests', { retry_after: 3 }))).toBe(3_000);
    expect(retryAfterMsOf(telegramError(400, 'Bad Request: message is too long'))).toBe(0);
    expect(retryAfterMsOf(new Error('socket hang up'))).toBe(0);
  });

  it('sends numeric chat ids as numbers and channel names as strings', () => {
    expect(chatIdFor('-1001234')).toBe(-1001234);
    expect(chatIdFor('@basis_channel')).toBe('@basis_channel');
  });
});
