import pino, { type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

/**
 * Secrets that reach log lines through URLs, error messages and echoed request bodies:
 * Discord interaction and webhook tokens (a token in the URL lets anyone answer as the
 * bot for 15 minutes), bot tokens, and the Telegram token inside every Bot API URL.
 * Matched on the serialized line, so no call site (or library error) can forget them.
 */
const REDACTED = '[redacted]';
const SECRET_PATTERNS: [RegExp, string][] = [
  // …/interactions/<id>/<token>/callback and …/webhooks/<application>/<token>/messages/…
  [/(\/(?:interactions|webhooks)\/\d+\/)[^/?#\s"'\\]+/g, `$1${REDACTED}`],
  // Telegram Bot API URLs: /bot<id>:<secret>/method, and /file/bot<id>:<secret>/…
  [/(\/bot)\d+:[A-Za-z0-9_-]+/g, `$1${REDACTED}`],
  // A Telegram token anywhere else: <bot id>:<35-ish character secret>.
  [/\b\d{5,}:[A-Za-z0-9_-]{30,}/g, REDACTED],
  // Discord bot tokens: three base64url parts joined by dots.
  [/[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}/g, REDACTED],
  // Authorization headers and "token" fields of echoed bodies, whatever the token looks like.
  [/((?:authorization|x-telegram-bot-api-secret-token)\\?"?\s*[:=]\s*\\?"?\s*(?:Bot |Bearer )?)[^"\\\s,}]+/gi, `$1${REDACTED}`],
  [/(\\?"(?:token|secret_token|secretToken)\\?"\s*:\s*\\?")[^"\\]+/gi, `$1${REDACTED}`],
  // discord.js's login debug line (trace): it censors a token only when it has dots.
  [/(Provided token: )[^\s"\\]+/g, `$1${REDACTED}`],
  // Any other long opaque token-shaped run (interaction tokens have no dots): no log needs one.
  [/[A-Za-z0-9_-]{64,}/g, REDACTED],
];

/** `text` with every token-shaped secret replaced by [redacted]. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/**
 * pino options shared by every logger basisbot builds (and the tests' captured logger):
 * the streamWrite hook sees each serialized line, at every level, just before it is written.
 */
export const LOG_REDACTION: Pick<LoggerOptions, 'hooks'> = { hooks: { streamWrite: redactSecrets } };

/**
 * Logs go to stderr, so stdout stays clean for `ask --json` and the console chat: JSON
 * lines for log collectors, or coloured one-liners when a person watches a terminal.
 */
export function createLogger(level: string, options: { pretty?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const human = options.pretty ?? Boolean(process.stderr.isTTY);
  const destination =
    options.destination ?? (human ? pretty({ destination: 2, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }) : pino.destination(2));
  return pino({ level, base: undefined, ...LOG_REDACTION }, destination);
}
