import { describe, expect, test } from 'vitest';
import { buildCommandPayloads, CommandRegistrationError, toCommandPayload } from '../../../src/adapters/discord/register.js';
import type { Command, OptionSpec } from '../../../src/core/command.js';

const run: Command['run'] = async () => ({ ok: true, reply: { blocks: [] } });
const command = (name: string, options: OptionSpec[], extra: Partial<Command> = {}): Command => ({ name, description: `${name} command`, options, run, ...extra });

describe('toCommandPayload', () => {
  test('maps option types to Discord numbers and puts required options first, keeping their order', () => {
    const payload = toCommandPayload(
      command('mix', [
        { name: 'flag', description: 'b', type: 'boolean' },
        { name: 'asset', description: 's', type: 'string', required: true },
        { name: 'days', description: 'i', type: 'integer' },
        { name: 'rate', description: 'n', type: 'number', required: true },
      ]),
    );
    expect(payload.type).toBe(1);
    expect(payload.options!.map((option) => [option.name, option.type, (option as { required?: boolean }).required])).toEqual([
      ['asset', 3, true],
      ['rate', 10, true],
      ['flag', 5, false],
      ['days', 4, false],
    ]);
  });

  test('choices are typed by the option; more than 25 become autocomplete; autocomplete never sits next to choices', () => {
    const many = Array.from({ length: 30 }, (_, index) => String(index));
    const payload = toCommandPayload(
      command('c', [
        { name: 'sort', description: 'd', type: 'string', choices: ['expiry', 'rate'], autocomplete: 'term' },
        { name: 'days', description: 'd', type: 'integer', choices: ['7', '30'] },
        { name: 'pick', description: 'd', type: 'integer', choices: many },
        { name: 'asset', description: 'd', type: 'string', autocomplete: 'asset' },
        { name: 'flag', description: 'd', type: 'boolean', autocomplete: 'asset' },
      ]),
    );
    const [sort, days, pick, asset, flag] = payload.options as unknown as Record<string, unknown>[];
    expect(sort).toMatchObject({ choices: [{ name: 'expiry', value: 'expiry' }, { name: 'rate', value: 'rate' }] });
    expect(sort.autocomplete).toBeUndefined();
    expect(days).toMatchObject({ choices: [{ name: '7', value: 7 }, { name: '30', value: 30 }] });
    expect(pick.choices).toBeUndefined();
    expect(pick.autocomplete).toBe(true);
    expect(asset.autocomplete).toBe(true);
    expect(flag.autocomplete).toBeUndefined();
  });

  test('numeric bounds become min_value/max_value; descriptions are 1-100 characters', () => {
    const payload = toCommandPayload({
      ...command('b', [
        { name: 'days', description: '', type: 'integer', min: 1, max: 365 },
        { name: 'asset', description: 'x'.repeat(150), type: 'string', min: 1 },
      ]),
      description: '   ',
    });
    const [days, asset] = payload.options as unknown as Record<string, unknown>[];
    expect(days).toMatchObject({ min_value: 1, max_value: 365, description: 'days' });
    expect(asset.min_value).toBeUndefined();
    expect((asset.description as string).length).toBe(100);
    expect(payload.description).toBe('b');
  });

  test('subcommands become type-1 options with their own options', () => {
    const alert = command('alert', [], {
      subcommands: [
        command('add', [
          { name: 'venue', description: 'v', type: 'string', autocomplete: 'venue' },
          { name: 'asset', description: 'a', type: 'string', required: true, autocomplete: 'asset' },
        ]),
        command('list', []),
      ],
    });
    const payload = toCommandPayload(alert);
    expect(payload.options).toEqual([
      {
        type: 1,
        name: 'add',
        description: 'add command',
        options: [
          { type: 3, name: 'asset', description: 'a', required: true, autocomplete: true },
          { type: 3, name: 'venue', description: 'v', required: false, autocomplete: true },
        ],
      },
      { type: 1, name: 'list', description: 'list command', options: [] },
    ]);
  });

  test.each([
    ['an uppercase name', [command('Basis', [])], /not a valid Discord name/],
    ['options next to subcommands', [command('a', [{ name: 'x', description: 'x', type: 'string' }], { subcommands: [command('b', [])] })], /subcommands/],
    ['a duplicate command', [command('a', []), command('a', [])], /twice/],
    ['a duplicate option', [command('a', [{ name: 'x', description: 'x', type: 'string' }, { name: 'x', description: 'x', type: 'number' }])], /twice/],
    ['a non-integer integer choice', [command('a', [{ name: 'x', description: 'x', type: 'integer', choices: ['1.5'] }])], /not a valid integer/],
    ['nested subcommand groups', [command('a', [], { subcommands: [command('b', [], { subcommands: [command('c', [])] })] })], /groups/],
  ])('refuses %s with a message naming it', (_, commands, message) => {
    expect(() => buildCommandPayloads(commands)).toThrow(CommandRegistrationError);
    expect(() => buildCommandPayloads(commands)).toThrow(message);
  });
});
