import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../src/config.js';

describe('config', () => {
  it('has working defaults for the offline demo', () => {
    const config = loadConfig({});
    expect(config.venues).toEqual(['binance', 'okx', 'bybit', 'deribit']);
    expect(config.watchList).toContain('SOL');
    expect(config.telegram).toBeUndefined();
  });

  it('names every bad variable', () => {
    const error = (() => {
      try {
        loadConfig({ VENUES: 'binance,ftx', QUOTE_TTL_MS: 'soon', VENUE_BASE_URL: 'not a url' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['VENUES', 'QUOTE_TTL_MS', 'VENUE_BASE_URL']) expect(message).toContain(name);
    expect(message).toContain('ftx');
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '1:x', TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/t' })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
  });

  it('documents every variable in .env.example, and the example parses', () => {
    const example = fs.readFileSync('.env.example', 'utf8');
    for (const name of CONFIG_VARIABLES) expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    const set = Object.fromEntries(example.split('\n').filter((line) => /^[A-Z_]+=/.test(line)).map((line) => line.split('=') as [string, string]));
    expect(() => loadConfig(set)).not.toThrow();
  });
});
