import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { LOG_REDACTION } from '../../src/logger.js';

/** One JSON log line, as pino wrote it. */
export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/**
 * A real pino logger whose lines a test can inspect ("did the adapter log the 409?"), with
 * the production redaction, so a test can check that no token reaches a log line.
 * `raw` holds each line exactly as written.
 */
export function captureLogger(level = 'debug'): { log: Logger; lines: LogLine[]; raw: string[] } {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as LogLine);
      }
      done();
    },
  });
  return { log: pino({ level, ...LOG_REDACTION }, sink), lines, raw };
}
