/**
 * Turns the platform-neutral command registry into Discord application command JSON and
 * registers it with one PUT, which replaces the whole list (commands removed from the
 * registry disappear from Discord too). Discord rejects the entire PUT for one bad command,
 * so the rules it enforces are checked here first, with a message naming the culprit.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  Routes,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  type APIApplicationCommandSubcommandOption,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { createHash } from 'node:crypto';
import type { Command, OptionSpec } from '../../core/command.js';
import { canonicalJson } from '../../store/atomic.js';
import type { KeyValueStore } from '../../store/index.js';
import { truncate } from './render.js';

export type CommandPayload = RESTPostAPIChatInputApplicationCommandsJSONBody;

export const COMMAND_LIMITS = { options: 25, choices: 25, description: 100, choiceName: 100, commands: 100 } as const;

const OPTION_TYPES = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  number: ApplicationCommandOptionType.Number,
  boolean: ApplicationCommandOptionType.Boolean,
} as const;

// Discord: 1-32 characters, lowercase letters, digits, dash and underscore (plus other scripts).
const NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

export class CommandRegistrationError extends Error {}

function checkName(name: string, where: string): void {
  if (!NAME.test(name)) throw new CommandRegistrationError(`${where}: "${name}" is not a valid Discord name (1-32 lowercase letters, digits, - or _)`);
}

function describe(description: string, fallback: string): string {
  const text = description.replace(/\s+/g, ' ').trim() || fallback;
  return truncate(text, COMMAND_LIMITS.description);
}

/** Options with more choices than Discord lists are offered through autocomplete instead. */
export function choicesFitDiscord(spec: OptionSpec): boolean {
  return (spec.choices?.length ?? 0) <= COMMAND_LIMITS.choices;
}

/** Whether Discord should ask the bot for suggestions while the user types this option. */
export function usesAutocomplete(spec: OptionSpec): boolean {
  if (spec.type === 'boolean') return false;
  if (spec.choices?.length) return !choicesFitDiscord(spec);
  return spec.autocomplete !== undefined;
}

function choiceValue(spec: OptionSpec, choice: string, where: string): string | number {
  if (spec.type === 'string') return choice;
  const value = Number(choice);
  if (!Number.isFinite(value) || (spec.type === 'integer' && !Number.isInteger(value))) {
    throw new CommandRegistrationError(`${where}: choice "${choice}" is not a valid ${spec.type}`);
  }
  return value;
}

function toOption(spec: OptionSpec, where: string): APIApplicationCommandBasicOption {
  const at = `${where} option ${spec.name}`;
  checkName(spec.name, at);
  const option: Record<string, unknown> = {
    type: OPTION_TYPES[spec.type],
    name: spec.name,
    description: describe(spec.description, spec.name),
    required: spec.required ?? false,
  };
  if (spec.type !== 'boolean' && spec.choices?.length && choicesFitDiscord(spec)) {
    option.choices = spec.choices.map((choice) => ({
      name: truncate(choice, COMMAND_LIMITS.choiceName),
      value: choiceValue(spec, choice, at),
    }));
  }
  if (usesAutocomplete(spec)) option.autocomplete = true;
  if (spec.type === 'integer' || spec.type === 'number') {
    if (spec.min !== undefined) option.min_value = spec.min;
    if (spec.max !== undefined) option.max_value = spec.max;
  }
  return option as unknown as APIApplicationCommandBasicOption;
}

function toOptions(specs: OptionSpec[], where: string): APIApplicationCommandBasicOption[] {
  if (specs.length > COMMAND_LIMITS.options) throw new CommandRegistrationError(`${where}: more than ${COMMAND_LIMITS.options} options`);
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name)) throw new CommandRegistrationError(`${where}: option "${spec.name}" appears twice`);
    names.add(spec.name);
  }
  // Discord refuses optional options placed before required ones; the sort is stable.
  const ordered = [...specs].sort((a, b) => Number(b.required ?? false) - Number(a.required ?? false));
  return ordered.map((spec) => toOption(spec, where));
}

function toSubcommand(command: Command, parent: string): APIApplicationCommandSubcommandOption {
  const where = `/${parent} ${command.name}`;
  checkName(command.name, where);
  if (command.subcommands?.length) throw new CommandRegistrationError(`${where}: subcommand groups are not supported`);
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: command.name,
    description: describe(command.description, command.name),
    options: toOptions(command.options, where),
  };
}

export function toCommandPayload(command: Command): CommandPayload {
  const where = `/${command.name}`;
  checkName(command.name, where);
  let options: APIApplicationCommandOption[];
  if (command.subcommands?.length) {
    if (command.options.length > 0) {
      throw new CommandRegistrationError(`${where}: Discord does not allow options next to subcommands; move them into each subcommand`);
    }
    if (command.subcommands.length > COMMAND_LIMITS.options) throw new CommandRegistrationError(`${where}: more than 25 subcommands`);
    options = command.subcommands.map((subcommand) => toSubcommand(subcommand, command.name));
  } else {
    options = toOptions(command.options, where);
  }
  return {
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    description: describe(command.description, command.name),
    options,
  };
}

export function buildCommandPayloads(commands: readonly Command[]): CommandPayload[] {
  if (commands.length > COMMAND_LIMITS.commands) throw new CommandRegistrationError(`more than ${COMMAND_LIMITS.commands} commands`);
  const names = new Set<string>();
  for (const command of commands) {
    if (names.has(command.name)) throw new CommandRegistrationError(`/${command.name} is registered twice`);
    names.add(command.name);
  }
  return commands.map(toCommandPayload);
}

export interface RegisteredCommand {
  id: string;
  name: string;
}

/**
 * Replaces the bot's commands: in one guild when `guildId` is set (visible at once, for
 * development and single-server bots), else globally (Discord may take a while to show them).
 */
export async function registerCommands(
  rest: REST,
  applicationId: string,
  payloads: CommandPayload[],
  guildId?: string,
): Promise<RegisteredCommand[]> {
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  const registered = (await rest.put(route, { body: payloads })) as RegisteredCommand[];
  return registered.map(({ id, name }) => ({ id, name }));
}

/**
 * A registration is remembered this long at most, then redone even if unchanged: commands
 * deleted by hand in the Developer Portal come back within a week.
 */
export const REGISTRATION_MEMORY_MS = 7 * 24 * 3600 * 1000;

/** What a command list registers as: equal definitions give equal hashes, whatever their key order. */
export function commandsHash(payloads: CommandPayload[]): string {
  return createHash('sha256').update(canonicalJson(payloads)).digest('hex');
}

export type RegistrationOutcome = { kind: 'registered'; commands: RegisteredCommand[] } | { kind: 'unchanged' };

/**
 * Registers only when the definitions differ from the last registration recorded in
 * `hashes` (the store, shared by replicas): Discord rate-limits command updates (200 a day
 * per guild) and every replica restart used to PUT the whole list. The hash is recorded
 * after a successful PUT only, so a failed one is retried at the next start.
 */
export async function registerIfChanged(
  rest: REST,
  applicationId: string,
  payloads: CommandPayload[],
  guildId: string | undefined,
  hashes: KeyValueStore<string>,
): Promise<RegistrationOutcome> {
  const key = `${applicationId}:${guildId ?? 'global'}`;
  const hash = commandsHash(payloads);
  if ((await hashes.get(key)) === hash) return { kind: 'unchanged' };
  const commands = await registerCommands(rest, applicationId, payloads, guildId);
  await hashes.set(key, hash, REGISTRATION_MEMORY_MS);
  return { kind: 'registered', commands };
}
