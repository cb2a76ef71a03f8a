/**
 * Commands whose subcommands have typed options (`/alert add asset metric direction value
 * venue tenor`, `/digest set when timezone assets`): the registration payload (required
 * options first, choices, autocomplete), the fake Discord's acceptance of it, the typed
 * options reaching the dispatcher, and autocomplete inside a subcommand.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { buildCommandPayloads, toCommandPayload } from '../../../src/adapters/discord/register.js';
import type { Command, CommandInput, OptionSpec } from '../../../src/core/command.js';
import { COMMANDS } from '../../../commands/index.js';
import { findCommandsProblem } from '../../fakes/discord-commands.js';
import { answered, ASSETS, startHarness, type Harness } from './helpers.js';

const ZONES = Array.from({ length: 30 }, (_, index) => (index < 3 ? ['Europe/Berlin', 'Europe/London', 'America/New_York'][index] : `Etc/GMT+${index - 2}`));

/** Every input a handler saw, so a test can read the name and typed arguments it got. */
function registry(): { commands: Command[]; seen: CommandInput[] } {
  const seen: CommandInput[] = [];
  const sub = (name: string, options: OptionSpec[]): Command => ({
    name,
    description: `${name} it`,
    options,
    async run(input) {
      seen.push(input);
      return { ok: true, reply: { title: input.command, blocks: [{ kind: 'text', text: JSON.stringify(input.args) }] } };
    },
  });
  // Deliberately listed with optional options first: registration must reorder them.
  const add = sub('add', [
    { name: 'venue', description: 'Only this venue', type: 'string', autocomplete: 'venue' },
    { name: 'asset', description: 'Base asset', type: 'string', required: true, autocomplete: 'asset' },
    { name: 'direction', description: 'above, below or crosses', type: 'string', choices: ['above', 'below', 'crosses'] },
    { name: 'metric', description: 'What to watch', type: 'string', required: true, choices: ['apr', 'basis', 'funding', 'spread', 'state'] },
    { name: 'value', description: 'Threshold, percent', type: 'number', required: true, min: -100, max: 1000 },
    { name: 'tenor', description: 'perp, front, next or an expiry', type: 'string' },
  ]);
  const set = sub('set', [
    { name: 'when', description: 'HH:MM', type: 'string', required: true },
    { name: 'timezone', description: 'IANA zone', type: 'string', choices: ZONES },
    { name: 'assets', description: 'Assets', type: 'string', rest: true },
  ]);
  const alert: Command = { name: 'alert', description: 'Alerts', options: [], subcommands: [add, sub('list', []), sub('pause', [{ name: 'id', description: 'Alert id', type: 'string', required: true }])], run: async () => ({ ok: false, reply: { blocks: [] } }) };
  const digest: Command = { name: 'digest', description: 'Digests', options: [], subcommands: [set, sub('show', [])], run: async () => ({ ok: false, reply: { blocks: [] } }) };
  return { commands: [alert, digest], seen };
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('registration of subcommands with typed options', () => {
  test('each subcommand lists its required options first (in their order), with choices and autocomplete', () => {
    const [alert, digest] = registry().commands.map(toCommandPayload) as any[];
    const add = alert.options.find((option: any) => option.name === 'add');
    expect(add.type).toBe(1);
    expect(add.options.map((option: any) => [option.name, option.type, option.required])).toEqual([
      ['asset', 3, true], ['metric', 3, true], ['value', 10, true], ['venue', 3, false], ['direction', 3, false], ['tenor', 3, false],
    ]);
    const byName = Object.fromEntries(add.options.map((option: any) => [option.name, option]));
    expect(byName.asset.autocomplete).toBe(true);
    expect(byName.venue.autocomplete).toBe(true);
    expect(byName.metric.choices.map((choice: any) => choice.value)).toEqual(['apr', 'basis', 'funding', 'spread', 'state']);
    expect(byName.metric.autocomplete).toBeUndefined();
    expect(byName.value).toMatchObject({ min_value: -100, max_value: 1000 });

    const set = digest.options.find((option: any) => option.name === 'set');
    const timezone = set.options.find((option: any) => option.name === 'timezone');
    // 30 zones are more than Discord lists as choices: they are searched through autocomplete.
    expect(timezone.choices).toBeUndefined();
    expect(timezone.autocomplete).toBe(true);
  });

  test('the fake Discord takes the PUT, and typed options reach the dispatcher as "alert add"', async () => {
    const { commands, seen } = registry();
    harness = await startHarness({ commands });
    const { fake } = harness;
    expect(fake.calls.find((call) => call.method === 'PUT')?.status).toBe(200);

    const interaction = fake.command('alert', { asset: 'SOL', metric: 'apr', value: 12.5, direction: 'above', venue: 'okx' }, { subcommand: 'add' });
    await answered(fake, interaction);
    expect(seen.map((input) => [input.command, input.args])).toEqual([
      ['alert add', { asset: 'SOL', metric: 'apr', value: 12.5, direction: 'above', venue: 'okx' }],
    ]);
    expect(typeof seen[0].args['value']).toBe('number');
  });

  test('autocomplete inside a subcommand: assets from dispatcher.suggest, zones from the long choice list', async () => {
    harness = await startHarness({ commands: registry().commands });
    const { fake } = harness;
    const asset = fake.autocomplete('alert', { asset: 'et', metric: 'apr' }, 'asset', { subcommand: 'add' });
    const zone = fake.autocomplete('digest', { when: '08:00', timezone: 'europe' }, 'timezone', { subcommand: 'set' });
    await answered(fake, asset);
    await answered(fake, zone);
    const names = (id: string) => (fake.interactions.get(id)!.choices ?? []).map((choice) => choice.name);
    expect(names(asset.id)).toEqual(['ETH', 'ETC', ...ASSETS.filter((name) => !name.startsWith('ET') && name.includes('ET'))]);
    expect(names(zone.id)).toEqual(['Europe/Berlin', 'Europe/London']);
  });
});

describe('the fake enforces Discord\'s registration rules', () => {
  const option = (name: string, extra: object = {}) => ({ type: 3, name, description: name, ...extra });

  test.each([
    ['an optional option before a required one', [{ name: 'a', description: 'a', options: [option('x'), option('y', { required: true })] }], /Required options/],
    ['choices with autocomplete', [{ name: 'a', description: 'a', options: [option('x', { choices: [{ name: 'p', value: 'p' }], autocomplete: true })] }], /Autocomplete/],
    ['a subcommand inside a subcommand', [{ name: 'a', description: 'a', options: [{ type: 1, name: 'b', description: 'b', options: [{ type: 1, name: 'c', description: 'c' }] }] }], /nest/],
    ['subcommands next to options', [{ name: 'a', description: 'a', options: [option('x'), { type: 1, name: 'b', description: 'b' }] }], /mixed/],
    ['an empty description', [{ name: 'a', description: '', options: [] }], /description/],
  ])('refuses %s', (_, body, message) => {
    expect(findCommandsProblem(body)).toMatch(message);
  });

  test('the bot\'s real registry is one Discord would accept', () => {
    expect(findCommandsProblem(buildCommandPayloads(COMMANDS))).toBeUndefined();
  });
});
