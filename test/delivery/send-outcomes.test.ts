/**
 * The fourth outcome, `rejected`: each platform's "this message is refused for good" (a 400)
 * drops the message and keeps the target, while chat-gone errors still end the target.
 */
import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { classifySendError } from '../../src/adapters/discord/errors.js';

function discordError(status: number, code: number, message: string): DiscordAPIError {
  return new DiscordAPIError({ code, message }, code, status, 'POST', 'https://discord.com/api/v10/channels/1/messages', { body: undefined });
}

describe('Discord send errors as outcomes', () => {
  it('rejects a message Discord refuses as invalid (400, 50035) and keeps the channel', () => {
    expect(classifySendError(discordError(400, 50035, 'Invalid Form Body'))).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/50035/) });
    expect(classifySendError(discordError(400, 50006, 'Cannot send an empty message'))).toMatchObject({ status: 'rejected' });
  });

  it('still ends the target on DMs closed, unknown channel and missing access', () => {
    for (const [status, code] of [[403, 50007], [404, 10003], [403, 50001]] as const) {
      expect(classifySendError(discordError(status, code, 'x')).status).toBe('unreachable');
    }
    expect(classifySendError(discordError(400, 50007, 'Cannot send messages to this user')).status).toBe('unreachable');
  });
});
