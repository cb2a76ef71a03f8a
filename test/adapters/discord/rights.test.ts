/**
 * Caller rights from Discord: in a DM the user administers their own chat; in a guild,
 * Caller.isAdmin is the member's Manage Channels permission (Administrator implies it), read
 * from the permissions Discord sends with every interaction.
 */
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Command, CommandInput } from '../../../src/core/command.js';
import type { InteractionContext } from '../../fakes/discord-server.js';
import { answered, startHarness, type Harness } from './helpers.js';

const seen: CommandInput[] = [];
const whoami: Command = {
  name: 'whoami',
  description: 'Who is asking',
  options: [],
  async run(input) {
    seen.push(input);
    return { ok: true, reply: { blocks: [{ kind: 'text', text: `admin: ${String(input.isAdmin)}` }] } };
  },
};

let harness: Harness;
beforeAll(async () => {
  // Registered globally, as a bot must be to be usable in DMs.
  harness = await startHarness({ commands: [whoami], guildId: undefined });
});
afterAll(async () => {
  await harness.close();
});

async function callerFor(context: InteractionContext): Promise<CommandInput> {
  const before = seen.length;
  const interaction = harness.fake.command('whoami', {}, { ...context, user: { id: `7000000000000000${String(before).padStart(2, '0')}` } });
  await answered(harness.fake, interaction);
  expect(seen).toHaveLength(before + 1);
  return seen[before];
}

const bits = (...flags: bigint[]): string => String(flags.reduce((all, flag) => all | flag, 0n));

describe('Caller.isAdmin on Discord', () => {
  test('a DM: the user administers their own chat', async () => {
    const caller = await callerFor({ guildId: null });
    expect(caller).toMatchObject({ isAdmin: true, chat: { kind: 'private' }, platform: 'discord' });
  });

  test.each([
    ['Manage Channels', bits(PermissionFlagsBits.ManageChannels, PermissionFlagsBits.SendMessages), true],
    ['Administrator (implies everything)', bits(PermissionFlagsBits.Administrator), true],
    ['an ordinary member (send, read, embed)', bits(PermissionFlagsBits.SendMessages, PermissionFlagsBits.ViewChannel, PermissionFlagsBits.EmbedLinks), false],
    ['Manage Messages alone', bits(PermissionFlagsBits.ManageMessages), false],
    ['no permissions', '0', false],
  ])('a guild member with %s (permissions %s)', async (_, permissions, admin) => {
    const caller = await callerFor({ permissions });
    expect(caller).toMatchObject({ isAdmin: admin, chat: { kind: 'group', id: harness.fake.channelId } });
  });

  test("the fake's default member permissions apply when an interaction names none", async () => {
    harness.fake.memberPermissions = bits(PermissionFlagsBits.ManageChannels);
    try {
      expect((await callerFor({})).isAdmin).toBe(true);
    } finally {
      harness.fake.memberPermissions = '0';
    }
    expect((await callerFor({})).isAdmin).toBe(false);
  });
});
