import readline from 'node:readline';
import type { Dispatcher } from '../../core/dispatch.js';
import { stripControls } from '../../render/table.js';
import { answerLine } from './session.js';

export interface ReplOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  dataDir: string;
  color: boolean;
  banner: string;
  /** Lines the console answers itself (the demo's `replay …`); undefined passes the line to the bot. */
  local?: (line: string) => string | undefined;
}

/** The longest echo of a typed line; the rest is summarised by its length. */
export const MAX_ECHO_LINE = 200;

function echoLine(line: string): string {
  return line.length > MAX_ECHO_LINE ? `${line.slice(0, MAX_ECHO_LINE)}… (${line.length} characters)` : line;
}

const QUIT = /^\/?(quit|exit|q)$/i;
const REFRESH = /^\/?(refresh|r)$/i;

/**
 * The console chat: one command per line, answered in order. Works on a terminal and on
 * piped input (a scripted session), and ends at EOF or `quit`. `refresh` re-runs the last
 * command that succeeded, like the Refresh button on the chat platforms.
 */
export async function runRepl(dispatcher: Dispatcher, options: ReplOptions): Promise<void> {
  const rl = readline.createInterface({ input: options.input, output: options.output, terminal: false });
  const write = (text: string) => options.output.write(`${text}\n`);
  const interactive = Boolean((options.input as NodeJS.ReadStream).isTTY);
  const prompt = () => interactive && options.output.write('basisbot> ');
  write(options.banner);
  prompt();
  let previous: string | undefined;
  for await (const raw of rl) {
    const line = raw.trim();
    if (QUIT.test(line)) break;
    if (line) {
      const toRun = REFRESH.test(line) && previous ? previous : line;
      // The echo is user text on the terminal, so it gets the cleaning replies get (no escapes, C0/C1, bidi).
      // Cut to what a person can read: a pasted 200 KB line was echoed whole (issue 11 item 8).
      if (!interactive) write(`basisbot> ${stripControls(echoLine(toRun))}`);
      const local = options.local?.(toRun);
      if (local !== undefined) {
        write(`${local}\n`);
      } else {
        const { result, text } = await answerLine(dispatcher, toRun, options);
        if (result?.ok) previous = toRun;
        write(`${text}\n`);
      }
    }
    prompt();
  }
  rl.close();
}
