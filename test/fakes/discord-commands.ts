/**
 * The rules Discord applies to a PUT of application commands, enforced by the fake Discord
 * (a 400 with code 50035 naming the first broken rule), so a registration payload Discord
 * would refuse fails its test instead of failing at start-up in production.
 */

const NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;
const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;
const STRING = 3;
const INTEGER = 4;
const NUMBER = 10;

function describeLength(where: string, description: unknown): string | undefined {
  const length = typeof description === 'string' ? description.length : 0;
  return length < 1 || length > 100 ? `${where}.description: Must be between 1 and 100 in length.` : undefined;
}

function checkValueOption(option: any, where: string): string | undefined {
  const choices: any[] | undefined = option.choices;
  if (choices && choices.length > 25) return `${where}.choices: Must be 25 or fewer in length.`;
  if (choices?.length && option.autocomplete) return `${where}: Autocomplete cannot be set with choices.`;
  if (option.autocomplete && ![STRING, INTEGER, NUMBER].includes(option.type)) return `${where}: Autocomplete is only for string, integer and number options.`;
  for (const [index, choice] of (choices ?? []).entries()) {
    const typeOk = option.type === STRING ? typeof choice.value === 'string' : typeof choice.value === 'number' && (option.type !== INTEGER || Number.isInteger(choice.value));
    if (!typeOk) return `${where}.choices.${index}.value: Invalid choice value for the option type.`;
  }
  const numeric = option.type === INTEGER || option.type === NUMBER;
  if (!numeric && (option.min_value !== undefined || option.max_value !== undefined)) return `${where}: min_value and max_value are only for numbers.`;
  return undefined;
}

/** Checks one level of options: names, order (required first), and what may nest where. */
type Parent = 'command' | 'group' | 'subcommand';

function checkOptions(options: any[] | undefined, where: string, parent: Parent): string | undefined {
  const list = options ?? [];
  if (list.length > 25) return `${where}.options: Must be 25 or fewer in length.`;
  const nested = list.filter((option) => option.type === SUBCOMMAND || option.type === SUBCOMMAND_GROUP);
  if (nested.length > 0 && nested.length < list.length) return `${where}.options: Subcommands cannot be mixed with other options.`;
  let sawOptional = false;
  const names = new Set<string>();
  for (const [index, option] of list.entries()) {
    const at = `${where}.options.${index}`;
    if (!NAME.test(String(option.name))) return `${at}.name: Invalid name.`;
    if (names.has(option.name)) return `${at}.name: Duplicate option name.`;
    names.add(option.name);
    const problem = describeLength(at, option.description);
    if (problem) return problem;
    if (option.type === SUBCOMMAND || option.type === SUBCOMMAND_GROUP) {
      const allowed = option.type === SUBCOMMAND_GROUP ? parent === 'command' : parent !== 'subcommand';
      if (!allowed) return `${at}: Subcommands cannot nest this deep.`;
      const inner = checkOptions(option.options, at, option.type === SUBCOMMAND_GROUP ? 'group' : 'subcommand');
      if (inner) return inner;
      continue;
    }
    if (option.required) {
      if (sawOptional) return `${at}: Required options must be placed before non-required options.`;
    } else {
      sawOptional = true;
    }
    const valueProblem = checkValueOption(option, at);
    if (valueProblem) return valueProblem;
  }
  return undefined;
}

/** The first rule a PUT body of chat-input commands breaks, or undefined when Discord would take it. */
export function findCommandsProblem(commands: unknown): string | undefined {
  if (!Array.isArray(commands)) return 'body: Must be an array of commands.';
  if (commands.length > 100) return 'body: Must be 100 or fewer in length.';
  const names = new Set<string>();
  for (const [index, command] of commands.entries()) {
    const at = String(index);
    if (!NAME.test(String(command.name))) return `${at}.name: Invalid name.`;
    if (names.has(command.name)) return `${at}.name: Application command names must be unique.`;
    names.add(command.name);
    const problem = describeLength(at, command.description) ?? checkOptions(command.options, at, 'command');
    if (problem) return problem;
  }
  return undefined;
}
