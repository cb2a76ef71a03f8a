import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { MarketMode } from './runtime.js';

/**
 * Command-line argument checks for the `basisbot` subcommands, kept apart from src/cli.ts
 * (which runs main() on import) so they can be tested. Every mistake becomes a UsageError:
 * one line naming the flag and what is valid, exit 2, never a stack trace.
 */
export class UsageError extends Error {}

/** `--market replay|live`; `fallback` when the flag is absent. */
export function marketMode(value: string | undefined, fallback: MarketMode): MarketMode {
  if (value === undefined) return fallback;
  if (value !== 'live' && value !== 'replay') throw new UsageError(`--market must be replay or live, not "${value}"`);
  return value;
}

/**
 * node:util parseArgs, with its TypeErrors (unknown option, missing value) turned into
 * UsageErrors that say which options the subcommand has.
 */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(`${command}: ${flagProblem(error)}; options: ${describeOptions(options)}`);
  }
}

function describeOptions(options: NonNullable<ParseArgsConfig['options']>): string {
  return Object.entries(options)
    .map(([name, spec]) => (spec.type === 'string' ? `--${name} <value>` : `--${name}`))
    .join(', ');
}

/** parseArgs's own message, first sentence only (it goes on to suggest `--` tricks). */
function flagProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(/\.\s|\n/)[0].replace(/\.$/, '');
}

export interface AskArgs {
  json: boolean;
  market?: string;
  line: string;
}

/**
 * `ask [--json] [--market m] <command line…>`. Flags come first; everything from the first
 * word that is not a flag on is the command line, so `ask /top -1` asks for `/top -1`
 * instead of reading `-1` as an option.
 */
export function parseAskArgs(argv: string[]): AskArgs {
  const args: AskArgs = { json: false, line: '' };
  let index = 0;
  for (; index < argv.length; index += 1) {
    const word = argv[index];
    if (word === '--') {
      index += 1;
      break;
    }
    if (!word.startsWith('-') || word === '-') break;
    if (word === '--json') args.json = true;
    else if (word === '--market' || word.startsWith('--market=')) {
      const value = word === '--market' ? argv[++index] : word.slice('--market='.length);
      if (value === undefined || value === '') throw new UsageError('ask: --market needs a value: replay or live');
      args.market = value;
    } else {
      throw new UsageError(`ask: unknown option "${word.slice(0, 40)}"; options: --json, --market replay|live, then the command line, e.g. basisbot ask "/basis BTC"`);
    }
  }
  args.line = argv.slice(index).join(' ').trim();
  if (!args.line) throw new UsageError('ask needs a command line, e.g. basisbot ask "/basis BTC"');
  return args;
}

/** `replay-server [--port N] [--faults spec]`. */
export function parseReplayServerArgs(argv: string[]): { port: number; faults: string } {
  const { values } = parseFlags('replay-server', argv, { port: { type: 'string' }, faults: { type: 'string' } });
  const port = values.port === undefined ? 8787 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a port number 0-65535, not "${values.port}"`);
  }
  return { port, faults: values.faults ?? '' };
}
