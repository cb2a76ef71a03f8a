/**
 * Action buttons that are command lines (`/alert pause 3`): rendered as buttons carrying the
 * line, on command replies and on pushed messages alike; a click runs the line as the person
 * who clicked (their rights, their flood limit) and answers only them, leaving the message.
 */
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, test } from 'vitest';
import { decodeCustomId } from '../../../src/adapters/discord/custom-id.js';
import type { Command, CommandInput } from '../../../src/core/command.js';
import { Dispatcher } from '../../../src/core/dispatch.js';
import type { ReplyAction } from '../../../src/core/reply.js';
import { MESSAGE_FLAG } from '../../fakes/discord-messages.js';
import type { FakeDiscord, FakeInteraction } from '../../fakes/discord-server.js';
import { answered, callbacks, captureLogger, fakeServices, startHarness, webhookAnswers, type Harness } from './helpers.js';

const TOO_LONG = `/alert pause ${'9'.repeat(100)}`;
const ACTIONS: ReplyAction[] = [
  { id: 'refresh', label: 'Refresh' },
  { id: '/alert pause 3', label: 'Pause #3' },
  { id: '/alert  remove   3', label: 'Remove #3' },
  { id: '/alert remove 3', label: 'Remove #3 again' },
  { id: TOO_LONG, label: 'Too long' },
  { id: 'not-a-line', label: 'Unknown action' },
];

function registry(options: { delayMs?: number } = {}): { commands: Command[]; seen: CommandInput[] } {
  const seen: CommandInput[] = [];
  const change = (name: string): Command => ({
    name,
    description: `${name} an alert`,
    options: [{ name: 'id', description: 'Alert id', type: 'string', required: true }],
    async run(input) {
      seen.push(input);
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      return { ok: true, reply: { blocks: [{ kind: 'text', text: `${name} #${String(input.args['id'])} by ${input.user.id}` }], actions: [{ id: `/alert resume ${String(input.args['id'])}`, label: 'Undo' }] } };
    },
  });
  const list: Command = {
    name: 'list',
    description: 'Your alerts',
    options: [],
    run: async () => ({ ok: true, reply: { title: 'Your alerts', blocks: [{ kind: 'text', text: '#3 SOL apr above 5%' }], actions: ACTIONS } }),
  };
  const alert: Command = {
    name: 'alert',
    description: 'Alerts',
    options: [],
    subcommands: [list, change('pause'), change('remove'), change('resume')],
    run: async () => ({ ok: false, reply: { blocks: [] } }),
  };
  return { commands: [alert], seen };
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const BOB = { id: '200000000000000002', username: 'bob', global_name: 'Bob' };
const buttonIds = (message: { components: any[] }): string[] => message.components.flatMap((row) => row.components.map((button: any) => button.custom_id));

async function listMessage(fake: FakeDiscord) {
  const interaction = fake.command('alert', {}, { subcommand: 'list' });
  await answered(fake, interaction);
  return fake.originalMessage(interaction)!;
}

function privateAnswer(fake: FakeDiscord, click: FakeInteraction): any {
  const [callback] = callbacks(fake, click);
  return callback.body.type === 4 ? callback.body.data : webhookAnswers(fake, click)[0].body;
}

describe('command-line action buttons', () => {
  test('each line becomes one button carrying the line; Refresh keeps its own id; too long or unknown get none', async () => {
    const { commands } = registry();
    harness = await startHarness({ commands });
    const ids = buttonIds(await listMessage(harness.fake));
    expect(ids).toEqual([expect.any(String), '/alert pause 3', '/alert remove 3']);
    expect(decodeCustomId(ids[0])).toEqual({ actionId: 'refresh', command: 'alert list', args: {} });
  });

  test('a click runs the line as the clicking user, with their rights, and answers only them', async () => {
    const { commands, seen } = registry();
    harness = await startHarness({ commands });
    const { fake } = harness;
    const message = await listMessage(fake);
    const before = JSON.stringify(fake.messages.get(message.id));

    const click = fake.click(message.id, '/alert pause 3', { user: BOB, permissions: String(PermissionFlagsBits.ManageChannels) });
    await answered(fake, click);
    expect(seen.map((input) => [input.command, input.args, input.user.id, input.isAdmin])).toEqual([['alert pause', { id: '3' }, BOB.id, true]]);
    const answer = privateAnswer(fake, click);
    expect(answer.flags & MESSAGE_FLAG.Ephemeral).toBe(MESSAGE_FLAG.Ephemeral);
    expect(answer.embeds[0].description).toBe(`pause #3 by ${BOB.id}`);
    // The answer's own command-line actions are buttons too.
    expect(buttonIds(answer)).toEqual(['/alert resume 3']);
    expect(JSON.stringify(fake.messages.get(message.id))).toBe(before);

    const plain = fake.click(message.id, '/alert remove 3', { user: BOB, permissions: '0' });
    await answered(fake, plain);
    expect(seen[1]).toMatchObject({ command: 'alert remove', isAdmin: false });
  });

  test('a slow line is acknowledged privately at the budget, then answered in that private message', async () => {
    const { commands } = registry({ delayMs: 400 });
    harness = await startHarness({ commands, fastReplyBudgetMs: 50 });
    const { fake } = harness;
    const message = await listMessage(fake);
    const click = fake.click(message.id, '/alert remove 3');
    await answered(fake, click);
    expect(callbacks(fake, click)[0].body).toMatchObject({ type: 5, data: { flags: MESSAGE_FLAG.Ephemeral } });
    const [edit] = webhookAnswers(fake, click);
    expect(edit.method).toBe('PATCH');
    expect(fake.originalMessage(click)!.embeds[0].description).toContain('remove #3');
    expect(fake.originalMessage(click)!.flags & MESSAGE_FLAG.Ephemeral).toBe(MESSAGE_FLAG.Ephemeral);
  });

  test('a forged line runs like a typed one: an unknown command gets the usual private error', async () => {
    const { commands, seen } = registry();
    harness = await startHarness({ commands });
    const { fake } = harness;
    const message = await listMessage(fake);
    const unknown = fake.click(message.id, '/admin drop-everything');
    const junk = fake.click(message.id, '/!!');
    await answered(fake, unknown);
    await answered(fake, junk);
    expect(privateAnswer(fake, unknown).embeds[0].description).toContain('Unknown command /admin');
    expect(callbacks(fake, junk)[0].body).toMatchObject({ type: 4, data: { flags: MESSAGE_FLAG.Ephemeral } });
    expect(seen).toEqual([]);
  });

  test("clicks count against the clicker's flood limit and are always answered", async () => {
    const { commands, seen } = registry();
    const { log } = captureLogger();
    const dispatcher = new Dispatcher(commands, { services: fakeServices(), now: Date.now }, log, { flood: { limit: 2, windowMs: 60_000 } });
    harness = await startHarness({ commands, dispatcher });
    const { fake } = harness;
    const message = await listMessage(fake);
    const texts: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const click = fake.click(message.id, '/alert pause 3');
      await answered(fake, click);
      texts.push(JSON.stringify(privateAnswer(fake, click).embeds));
    }
    // The list itself was the first command of the window.
    expect(seen).toHaveLength(1);
    expect(texts[1]).toContain('faster than I can answer');
    expect(texts[2]).toContain('Too many commands');
  });
});

describe('pushed messages', () => {
  test('carry their command-line buttons (no Refresh: no command made them), and a click runs as the clicker', async () => {
    const { commands, seen } = registry();
    harness = await startHarness({ commands });
    const { fake, adapter } = harness;
    const channelId = '500000000000000001';
    expect(await adapter.send({ platform: 'discord', chatId: channelId }, { title: 'SOL alert #3', blocks: [{ kind: 'text', text: 'crossed' }], actions: ACTIONS })).toEqual({ status: 'sent' });
    const posted = [...fake.messages.values()].find((message) => message.channel_id === channelId)!;
    expect(buttonIds(posted)).toEqual(['/alert pause 3', '/alert remove 3']);

    const click = fake.click(posted.id, '/alert pause 3', { user: BOB, channelId });
    await answered(fake, click);
    expect(seen).toMatchObject([{ command: 'alert pause', user: { id: BOB.id }, chat: { id: channelId } }]);
    expect(privateAnswer(fake, click).flags & MESSAGE_FLAG.Ephemeral).toBe(MESSAGE_FLAG.Ephemeral);
  });

  test('canReach says "unknown": Discord only tells when a message is sent', async () => {
    harness = await startHarness({ commands: registry().commands });
    expect(await harness.adapter.canReach({ platform: 'discord', chatId: '600000000000000001', dm: true })).toBeUndefined();
    expect(await harness.adapter.canReach({ platform: 'discord', chatId: harness.fake.channelId })).toBeUndefined();
  });
});
