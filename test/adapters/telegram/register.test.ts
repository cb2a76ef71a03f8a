import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/core/command.js';
import { telegramCommandList } from '../../../src/adapters/telegram/register.js';

function command(name: string, description: string): Command {
  return { name, description, options: [], run: async () => ({ ok: true, reply: { blocks: [] } }) };
}

describe('telegramCommandList', () => {
  it('keeps valid names in registry order and truncates descriptions to 256 characters', () => {
    const { commands, skipped } = telegramCommandList([command('basis', 'Basis of an asset'), command('curve', 'd'.repeat(300))]);
    expect(commands.map((entry) => entry.command)).toEqual(['basis', 'curve']);
    expect(commands[1].description).toHaveLength(256);
    expect(commands[1].description.endsWith('…')).toBe(true);
    expect(skipped).toEqual([]);
  });

  it('leaves out names Telegram refuses, duplicates and anything past 100, and fills empty descriptions', () => {
    const many = Array.from({ length: 105 }, (_, index) => command(`c${index}`, `command ${index}`));
    const { commands, skipped } = telegramCommandList([
      command('has-dash', 'x'),
      command('x'.repeat(33), 'x'),
      command('Top', '  \n '),
      command('top', 'again'),
      ...many,
    ]);
    expect(commands).toHaveLength(100);
    expect(commands[0]).toEqual({ command: 'top', description: 'Top' });
    expect(skipped.slice(0, 3)).toEqual(['has-dash', 'x'.repeat(33), 'top']);
    expect(skipped).toHaveLength(3 + 6);
  });
});
