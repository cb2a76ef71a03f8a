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

/**
 * The longest chat line parsed. Every real command fits in a few dozen characters; a
 * pasted 200 KB blob would otherwise be tokenized, matched and laid out (super-linearly)
 * only to be refused, and then echoed back whole in the error.
 */
export const MAX_LINE_LENGTH = 1_000;
/** How much of the user's own text an error message repeats. */
const MAX_ECHO = 40;

/** User text for an error message: at most MAX_ECHO characters, cut visibly. */
export function echo(text: string): string {
  const chars = [...text.slice(0, MAX_ECHO + 2)];
  return chars.length > MAX_ECHO ? `${chars.slice(0, MAX_ECHO).join('')}…` : text;
}

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
      return { error: `${option.name} must be ${option.type === 'integer' ? 'a whole number' : 'a number'}, not "${echo(raw)}"` };
    }
    if (option.min !== undefined && value < option.min) return { error: `${option.name} must be at least ${option.min}` };
    if (option.max !== undefined && value > option.max) return { error: `${option.name} must be at most ${option.max}` };
    return { value };
  }
  if (option.type === 'boolean') {
    if (/^(true|yes|on|1)$/i.test(raw)) return { value: true };
    if (/^(false|no|off|0)$/i.test(raw)) return { value: false };
    return { error: `${option.name} must be yes or no, not "${echo(raw)}"` };
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
  const optionNamed = (name: string) => command.options.find((candidate) => candidate.name === name.toLowerCase());
  const known = command.options.length ? `options: ${command.options.map((option) => option.name).join(', ')}` : 'it takes no options';
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i];
    const inline = /^(?:--)?([a-z_]+)[:=](.+)$/i.exec(word);
    const flag = inline ? null : /^--([a-z_]+)$/i.exec(word);
    if (flag) {
      // `--name value`: only a real option may take the next word, and it must have one.
      const option = optionNamed(flag[1]);
      if (!option) return { error: `/${command.name} has no option --${echo(flag[1])} (${known})` };
      const value = words[i + 1];
      if (value === undefined || /^--[a-z_]/i.test(value)) return { error: `--${option.name} needs a value` };
      i += 1;
      const coerced = coerceOption(option, value);
      if ('error' in coerced) return coerced;
      args[option.name] = coerced.value;
      continue;
    }
    const option = inline && optionNamed(inline[1]);
    if (inline && option) {
      const coerced = coerceOption(option, inline[2]);
      if ('error' in coerced) return coerced;
      args[option.name] = coerced.value;
    } else {
      positional.push(word); // `word:thing` that names no option is just a word
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
  if (positional.length > 0) return { error: `unexpected "${echo(positional.join(' '))}"` };
  const missing = command.options.find((option) => option.required && args[option.name] === undefined);
  if (missing) return { error: `${missing.name} is required` };
  return { args };
}

/**
 * Parses a chat line such as `/basis@basisbot BTC okx` against the registry.
 * `botUsername` lets a group message addressed to another bot be ignored.
 */
export function parseCommandLine(text: string, commands: Command[], botUsername?: string): ParsedLine {
  const trimmed = text.trim();
  // Only the head of an over-long line is looked at: enough to know whom it addresses.
  const head = trimmed.length > MAX_LINE_LENGTH ? trimmed.slice(0, 200) : trimmed;
  const match = /^\/([a-z0-9_]+)(?:@([a-z0-9_]+))?(?:\s+([\s\S]*))?$/i.exec(head);
  if (!match) return trimmed === head || !/^\/[a-z0-9_]/i.test(head) ? { kind: 'ignore' } : tooLong(head, trimmed.length, commands);
  const [, rawName, addressee, rest = ''] = match;
  if (addressee && botUsername && addressee.toLowerCase() !== botUsername.toLowerCase()) return { kind: 'ignore' };
  if (trimmed !== head) return tooLong(head, trimmed.length, commands);
  const name = rawName.toLowerCase();
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) return { kind: 'unknown-command', name: echo(name) };
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

/** An over-long line: a usage error for a known command, else an unknown one (name cut short). */
function tooLong(head: string, length: number, commands: Command[]): ParsedLine {
  const name = (/^\/([a-z0-9_]+)/i.exec(head)?.[1] ?? '').toLowerCase();
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) return { kind: 'unknown-command', name: echo(name) };
  return { kind: 'usage-error', command, message: `the line is too long (${length} characters; at most ${MAX_LINE_LENGTH})` };
}
