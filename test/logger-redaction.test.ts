import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactSecrets } from '../src/logger.js';

const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246MTMxNjk2NjE0NjQ1NjQ1NDE0NzpSZ2Z3b3h6a0xsVjVQcEhyZ3JZbG5aTWhYcmRma3VxWmZ2Y0F0dnFE';
const SHORT_INTERACTION_TOKEN = 'itoken-1234-x9q'; // no dots, short: only its place in the URL gives it away
const WEBHOOK_TOKEN = 'Xk2fP9sQ_vN3-aB7cD1eF5gH8iJ0kL4mN6oP2qR';
const DISCORD_BOT_TOKEN = 'MTMxNjk2NjE0NjQ1NjQ1NDE0Nw.GhT2xQ.abcdEFGHijklMNOPqrstUVWXyz0123456789ab';
const TELEGRAM_TOKEN = '7654321098:AAHd4sEx-ampleTokenFromBotFather_xyz12';

function captured(): { log: ReturnType<typeof createLogger>; text: () => string } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { log: createLogger('trace', { pretty: false, destination: sink }), text: () => chunks.join('') };
}

describe('log redaction (issue 11 item 6)', () => {
  it('removes every token from every field at every level, keeping the lines JSON', () => {
    const { log, text } = captured();
    const callback = `https://discord.com/api/v10/interactions/1316966146456454147/${INTERACTION_TOKEN}/callback`;
    const shortCallback = `http://127.0.0.1:4000/api/v10/interactions/1316966146456454147/${SHORT_INTERACTION_TOKEN}/callback`;
    const webhook = `https://discord.com/api/v10/webhooks/1316966146456454000/${WEBHOOK_TOKEN}/messages/@original`;
    const telegram = `https://api.telegram.org/bot${TELEGRAM_TOKEN}/sendMessage`;
    log.trace({ url: shortCallback }, `trace ${INTERACTION_TOKEN}`);
    log.debug({ url: webhook }, 'debug');
    log.info({ body: { token: SHORT_INTERACTION_TOKEN, type: 4 } }, 'echoed body');
    log.warn({ url: callback, headers: { authorization: `Bot ${DISCORD_BOT_TOKEN}` } }, 'callback failed');
    log.error({ err: new Error(`request to ${telegram} failed, reason: socket hang up`) }, `send failed for ${telegram}`);
    log.fatal(`bot token ${DISCORD_BOT_TOKEN} and ${TELEGRAM_TOKEN}`);
    const output = text();
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    for (const secret of [INTERACTION_TOKEN, SHORT_INTERACTION_TOKEN, WEBHOOK_TOKEN, DISCORD_BOT_TOKEN, TELEGRAM_TOKEN, TELEGRAM_TOKEN.split(':')[1]]) {
      expect(output, secret).not.toContain(secret);
    }
    // What is left still says what happened.
    expect(output).toContain('/interactions/1316966146456454147/[redacted]/callback');
    expect(output).toContain('/webhooks/1316966146456454000/[redacted]/messages/@original');
    expect(output).toContain('api.telegram.org/bot[redacted]/sendMessage');
  });

  it("masks discord.js's login line at trace, which censors only a token with dots", () => {
    const { log, text } = captured();
    log.trace({ adapter: 'discord', detail: 'Provided token: plain-token-without-dots_123' }, 'discord debug');
    log.trace({ adapter: 'discord', detail: `Provided token: ${DISCORD_BOT_TOKEN}` }, 'discord debug');
    expect(text()).not.toContain('plain-token-without-dots_123');
    expect(text()).not.toContain(DISCORD_BOT_TOKEN);
    expect(text()).toContain('Provided token: [redacted]');
  });

  it('leaves ordinary text alone', () => {
    const line = '{"level":40,"venue":"okx","url":"http://127.0.0.1:8787/www.okx.com/api/v5/market/tickers?instType=SWAP","msg":"venue failed"}';
    expect(redactSecrets(line)).toBe(line);
  });
});
