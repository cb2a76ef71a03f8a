import { describe, expect, it } from 'vitest';
import { alertCommand } from '../../commands/alert.js';
import { COMMANDS } from '../../commands/index.js';
import { toCommandPayload } from '../../src/adapters/discord/register.js';
import { parseCommandLine } from '../../src/core/parse.js';

describe('/alert registration and text binding', () => {
  it('is registered, and Discord accepts it as subcommands with asset and venue autocomplete', () => {
    expect(COMMANDS).toContain(alertCommand);
    const payload = toCommandPayload(alertCommand) as unknown as { options: { name: string; options: { name: string; autocomplete?: boolean; required: boolean }[] }[] };
    expect(payload.options.map((o) => o.name)).toEqual(['add', 'list', 'remove', 'pause', 'resume']);
    const add = payload.options[0].options;
    expect(add.filter((o) => o.required).map((o) => o.name)).toEqual(['asset', 'metric']);
    expect(add.filter((o) => o.autocomplete).map((o) => o.name)).toEqual(['asset', 'venue']);
  });

  it('binds a full text line (7 free words, cooldown= and band= by name) without a usage error', () => {
    const parsed = parseCommandLine('/alert add SOL basis below -1% okx 2026-12-25 here cooldown=30m band=0.2%', COMMANDS);
    expect(parsed.kind).toBe('command');
    if (parsed.kind !== 'command') return;
    expect(parsed.name).toBe('alert add');
    expect(parsed.args).toMatchObject({ asset: 'SOL', metric: 'basis', here: 'here', cooldown: '30m', band: '0.2%' });
    const shuffled = parseCommandLine('/alert add SOL apr here okx above 5%', COMMANDS);
    expect(shuffled.kind).toBe('command');
  });
});
