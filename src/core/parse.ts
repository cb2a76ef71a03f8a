import type { ArgValue, Command, OptionSpec } from './command.js';
import { closestMatches } from './suggest.js';

/** `/basis <asset> [venue]`: the usage line shown for a malformed call. */
export function usageLine(command: Command, prefix = '/'): string {
  if (command.subcommands?.length) {
    return command.subcommands.map((sub) => usageLine({ ...sub, name: `${command.name} ${sub.name}` }, prefix)).join('\n');
  }
  const parts = command.options.map((option) => (option.required ? `<${option.name}>` : `[${option.name}]`));
  return [`${prefix}${command.name}`, ...parts].join(' ');
}

export type ParsedLine =
  | { kind: 'command'; command: Command; name: string; args: Record<string, ArgValue | undefined> }
  | { kind: 'usage-error'; command: Command; message: string }
  | { kind: 'unknown-command'; name: string }
  /** Addressed to another bot in a group (`/basis@otherbot`), or not a command at all. */
  | { kind: 'ignore' };

/** Splits on white space, keeping "quoted phrases" together and dropping control characters. */
export function tokenize(text: string): string[] {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return [...clean.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]);
}

/** Converts one raw argument to its option's type, or explains why it cannot. */
export function coerceOption(option: OptionSpec, raw: string): { value: ArgValue } | { error: string } {
  if (option.type === 'integer' || option.type === 'number') {
    const value = Number(raw);
    if (!Number.isFinite(value) || (option.type === 'integer' && !Number.isInteger(value))) {
      return { error: `${option.name} must be ${option.type === 'integer' ? 'a whole number' : 'a number'}, not "${raw}"` };
    }
    if (option.min !== undefined && value < option.min) return { error: `${option.name} must be at least ${option.min}` };
    if (option.max !== undefined && value > option.max) return { error: `${option.name} must be at most ${option.max}` };
    return { value };
  }
  if (option.type === 'boolean') {
    if (/^(true|yes|on|1)$/i.test(raw)) return { value: true };
    if (/^(false|no|off|0)$/i.test(raw)) return { value: false };
    return { error: `${option.name} must be yes or no, not "${raw}"` };
  }
  if (option.choices) {
    const choice = option.choices.find((candidate) => candidate.toLowerCase() === raw.toLowerCase());
    if (!choice) {
      const close = closestMatches(raw, option.choices, 1);
      const hint = close.length ? ` (did you mean ${close[0]}?)` : '';
      return { error: `${option.name} must be one of ${option.choices.join(', ')}${hint}` };
    }
    return { value: choice };
  }
  return { value: raw };
}

/**
 * Maps the words after a command name onto its options: positionally, or by name as
 * `venue:okx` / `--venue okx` (the Discord-like form people paste into Telegram).
 */
export function bindArguments(
  command: Command,
  words: string[],
): { args: Record<string, ArgValue | undefined> } | { error: string } {
  const args: Record<string, ArgValue | undefined> = {};
  const positional: string[] = [];
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i];
    const named = /^(?:--)?([a-z_]+)[:=](.+)$/i.exec(word) ?? (/^--([a-z_]+)$/i.exec(word) && [word, word.slice(2), words[++i] ?? '']);
    const option = named && command.options.find((candidate) => candidate.name === named[1].toLowerCase());
    if (named && option) {
      const coerced = coerceOption(option, named[2]);
      if ('error' in coerced) return coerced;
      args[option.name] = coerced.value;
    } else {
      positional.push(word);
    }
  }
  const free = command.options.filter((option) => args[option.name] === undefined);
  for (const [index, option] of free.entries()) {
    if (positional.length === 0) break;
    const raw = option.rest && index === free.length - 1 ? positional.splice(0).join(' ') : positional.shift()!;
    const coerced = coerceOption(option, raw);
    if ('error' in coerced) return coerced;
    args[option.name] = coerced.value;
  }
  if (positional.length > 0) return { error: `unexpected "${positional.join(' ')}"` };
  const missing = command.options.find((option) => option.required && args[option.name] === undefined);
  if (missing) return { error: `${missing.name} is required` };
  return { args };
}

/**
 * Parses a chat line such as `/basis@basisbot BTC okx` against the registry.
 * `botUsername` lets a group message addressed to another bot be ignored.
 */
export function parseCommandLine(text: string, commands: Command[], botUsername?: string): ParsedLine {
  const match = /^\/([a-z0-9_]+)(?:@([a-z0-9_]+))?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  if (!match) return { kind: 'ignore' };
  const [, rawName, addressee, rest = ''] = match;
  if (addressee && botUsername && addressee.toLowerCase() !== botUsername.toLowerCase()) return { kind: 'ignore' };
  const name = rawName.toLowerCase();
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) return { kind: 'unknown-command', name };
  let words = tokenize(rest);
  let target = command;
  let fullName = command.name;
  if (command.subcommands?.length) {
    const sub = command.subcommands.find((candidate) => candidate.name === words[0]?.toLowerCase());
    if (!sub) return { kind: 'usage-error', command, message: `choose one of: ${command.subcommands.map((s) => s.name).join(', ')}` };
    target = sub;
    fullName = `${command.name} ${sub.name}`;
    words = words.slice(1);
  }
  const bound = bindArguments(target, words);
  if ('error' in bound) return { kind: 'usage-error', command, message: bound.error };
  return { kind: 'command', command: target, name: fullName, args: bound.args };
}
