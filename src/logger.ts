import pino, { type Logger } from 'pino';

/**
 * Structured logs to stderr, so stdout stays clean for `ask --json` and the console chat.
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined }, pino.destination(2));
}
