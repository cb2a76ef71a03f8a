import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

/** The ConfigError message for one env, or '' when it loads. */
function problem(env: Record<string, string>): string {
  try {
    loadConfig(env);
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

describe('config bounds (issue 11 items 9, 12, 13)', () => {
  it('bounds every *_MS variable: an oversized timer would fire after 1 ms', () => {
    expect(problem({ VENUE_TIMEOUT_MS: '99999999999' })).toMatch(/VENUE_TIMEOUT_MS: must be between 100 and 8000 \(ms\): .*shutdown/);
    expect(problem({ VENUE_TIMEOUT_MS: '50' })).toMatch(/VENUE_TIMEOUT_MS: must be between 100 and 8000/);
    expect(problem({ VENUE_TIMEOUT_MS: '8001' })).toMatch(/VENUE_TIMEOUT_MS/);
    expect(problem({ VENUE_TIMEOUT_MS: '8000' })).toBe('');
    expect(problem({ QUOTE_TTL_MS: '99999999999' })).toMatch(/QUOTE_TTL_MS: must be between 100 and 3600000/);
    expect(problem({ STALE_AFTER_MS: '0' })).toMatch(/STALE_AFTER_MS: must be between 1000 and 86400000/);
    expect(problem({ MARKETS_MAX_AGE_MS: '99999999999' })).toMatch(/MARKETS_MAX_AGE_MS: must be between 60000 and 604800000/);
    expect(problem({ OUTBOX_STOP_TIMEOUT_MS: '2147483648' })).toMatch(/OUTBOX_STOP_TIMEOUT_MS: must be between 100 and 5000/);
    expect(problem({ QUOTE_TTL_MS: '1.5' })).toMatch(/QUOTE_TTL_MS: must be a whole number of milliseconds/);
    expect(problem({ QUOTE_GRACE_MS: '-1' })).toMatch(/QUOTE_GRACE_MS: must be between 0 and 3600000/);
  });

  it('refuses a STORE_URL scheme it would otherwise ignore', () => {
    expect(problem({ STORE_URL: 'mysql://root@127.0.0.1/basis' })).toMatch(/STORE_URL: must start with redis:\/\/, rediss:\/\/ or sqlite:\/\//);
    expect(problem({ STORE_URL: 'redisfoo' })).toMatch(/STORE_URL/);
    for (const url of ['redis://127.0.0.1:6379', 'rediss://cache.example.com:6380', 'sqlite:///tmp/x.sqlite']) expect(problem({ STORE_URL: url }), url).toBe('');
  });

  it('accepts only http(s) for the API roots and the venue base', () => {
    for (const name of ['TELEGRAM_API_ROOT', 'DISCORD_API_BASE', 'VENUE_BASE_URL']) {
      expect(problem({ [name]: 'ftp://127.0.0.1/x' })).toMatch(new RegExp(`${name}: must be an http:// or https:// URL`));
      expect(problem({ [name]: 'javascript:alert(1)' })).toMatch(new RegExp(name));
      expect(problem({ [name]: 'http://127.0.0.1:8787' })).toBe('');
    }
  });
});
