import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve('bin/basisbot.js');

export interface BotProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr(): string;
}

/** `basisbot start` as a real process (what an operator runs), with its logs kept for asserts. */
export function startBot(env: Record<string, string>, args: string[] = []): BotProcess {
  const child = spawn(process.execPath, [BIN, 'start', ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}
