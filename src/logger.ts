import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * Logs go to stderr, so stdout stays clean for `ask --json` and the console chat: JSON
 * lines for log collectors, or coloured one-liners when a person watches a terminal.
 */
export function createLogger(level: string, options: { pretty?: boolean } = {}): Logger {
  const human = options.pretty ?? Boolean(process.stderr.isTTY);
  const destination = human ? pretty({ destination: 2, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }) : pino.destination(2);
  return pino({ level, base: undefined }, destination);
}
