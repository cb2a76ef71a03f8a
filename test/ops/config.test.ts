/**
 * HTTP_PORT and ALLOWED_CHATS as the environment gives them: off by default, validated
 * with a message naming the variable.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { parseOpsConfig } from '../../src/ops/config.js';

describe('ops configuration', () => {
  it('is off by default (unset or empty)', () => {
    expect(parseOpsConfig({})).toEqual({ http: undefined, allowedChats: undefined });
    expect(parseOpsConfig({ HTTP_PORT: '', ALLOWED_CHATS: '' })).toEqual({ http: undefined, allowedChats: undefined });
  });

  it('reads the port, host and chat list', () => {
    expect(parseOpsConfig({ HTTP_PORT: '9464', HTTP_HOST: '127.0.0.1', ALLOWED_CHATS: '-100123, discord:812345678901234567' })).toEqual({
      http: { port: 9464, host: '127.0.0.1' },
      allowedChats: [
        { platform: undefined, id: '-100123' },
        { platform: 'discord', id: '812345678901234567' },
      ],
    });
  });

  it.each([['abc'], ['0'], ['70000'], ['94.5']])('refuses HTTP_PORT=%s naming the variable', (port) => {
    expect(() => parseOpsConfig({ HTTP_PORT: port })).toThrow(ConfigError);
    expect(() => parseOpsConfig({ HTTP_PORT: port })).toThrow(/HTTP_PORT: must be a port number between 1 and 65535/);
  });

  it('refuses a chat list with a name in it, naming the entry', () => {
    expect(() => parseOpsConfig({ ALLOWED_CHATS: '-100123,@traders' })).toThrow(/ALLOWED_CHATS: "@traders" is not a chat id/);
  });
});
