import fs from 'node:fs/promises';
import path from 'node:path';
import type { CommandResult } from '../../core/command.js';
import type { Caller, Dispatcher } from '../../core/dispatch.js';
import { renderForConsole } from '../../render/console.js';

export const CONSOLE_CALLER: Caller = {
  user: { id: 'console', name: 'console' },
  chat: { id: 'console', kind: 'private' },
  platform: 'console',
};

/** Accepts `basis BTC` as well as `/basis BTC`: nobody types slashes at a terminal prompt. */
export function asCommandLine(line: string): string {
  const trimmed = line.trim();
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** Writes the reply's chart under DATA_DIR/charts and returns the path. */
export async function saveImage(result: CommandResult, dataDir: string): Promise<string | undefined> {
  const image = result.reply.image;
  if (!image) return undefined;
  const dir = path.join(dataDir, 'charts');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, image.name.replace(/[^A-Za-z0-9._-]/g, '_'));
  await fs.writeFile(file, image.png);
  return file;
}

/** Runs one line and renders the answer as terminal text (chart saved to a file). */
export async function answerLine(
  dispatcher: Dispatcher,
  line: string,
  options: { dataDir: string; color: boolean },
): Promise<{ result?: CommandResult; text: string }> {
  const result = await dispatcher.handleText(asCommandLine(line), CONSOLE_CALLER);
  if (!result) return { text: 'Type a command such as /basis BTC, or /help.' };
  let text = renderForConsole(result.reply, { color: options.color });
  const saved = await saveImage(result, options.dataDir);
  if (saved) text += `\nChart saved to ${saved}`;
  return { result, text };
}
