/**
 * Slash commands, Refresh buttons and autocomplete through discord.js against the fake
 * Discord (which enforces the 3-second first answer and the embed limits like Discord).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { decodeCustomId } from '../../../src/adapters/discord/custom-id.js';
import { TONE_COLORS } from '../../../src/adapters/discord/render.js';
import type { Command } from '../../../src/core/command.js';
import { MESSAGE_FLAG } from '../../fakes/discord-messages.js';
import { gate, type Gate } from '../../helpers/gate.js';
import { answered, ASSETS, callbacks, PNG, settled, startHarness, testCommands, webhookAnswers, type Harness } from './helpers.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  harness = await startHarness(options);
  return harness;
}

/** A /basis that finishes only when its gate is opened; `finished` tells whether it has. */
function gatedBasis(): { command: Command; gate: Gate; finished: () => boolean } {
  const g = gate();
  let finished = false;
  const command: Command = {
    name: 'basis',
    description: 'Basis that waits for the test',
    // Like a venue command: never answerable from cache, unless the harness says otherwise.
    isCached: () => false,
    options: [{ name: 'asset', description: 'Base asset', type: 'string', required: true }],
    async run(input) {
      await g.wait;
      finished = true;
      return { ok: true, reply: { title: `${String(input.args.asset)} basis`, tone: 'contango', blocks: [{ kind: 'text', text: 'Futures trade above spot.' }] } };
    },
  };
  return { command, gate: g, finished: () => finished };
}

describe('slash commands', () => {
  test('/basis asset:BTC defers within 3 s, then edits in a contango embed with a table and a Refresh button', async () => {
    const { fake, runs } = await start();
    const interaction = fake.command('basis', { asset: 'BTC' });
    await answered(fake, interaction);

    const [first] = callbacks(fake, interaction);
    expect(first.body.type).toBe(5);
    expect(first.body.data?.flags ?? 0).toBe(0);
    // The fake refuses a first answer after Discord's 3 s (10062), so 204 means it was in time.
    expect(first.status).toBe(204);

    const message = fake.originalMessage(interaction)!;
    expect(message.flags & MESSAGE_FLAG.Loading).toBe(0);
    const [embed] = message.embeds;
    expect(embed.color).toBe(TONE_COLORS.contango);
    expect(embed.title).toBe('BTC basis (run 1)');
    expect(embed.description).toContain('Futures trade \\*above\\* spot');
    expect(embed.description).toMatch(/```\nVenue\s+Expiry\s+Ann\.\n-+/);
    expect(embed.fields.map((field: { name: string }) => field.name)).toEqual(['Spot', 'Run']);
    const button = message.components[0].components[0];
    expect(button.label).toBe('Refresh');
    expect(decodeCustomId(button.custom_id)).toEqual({ actionId: 'refresh', command: 'basis', args: { asset: 'BTC' } });
    expect(runs.get('basis')).toBe(1);
  });

  test('/curve asset:SOL uploads the chart and the embed shows it through attachment://', async () => {
    const { fake } = await start();
    const interaction = fake.command('curve', { asset: 'SOL' });
    await answered(fake, interaction);
    const [edit] = webhookAnswers(fake, interaction);

    expect(edit.method).toBe('PATCH');
    expect(edit.files).toHaveLength(1);
    expect(edit.files[0].name).toBe('curve-SOL.png');
    expect(edit.files[0].data.equals(PNG)).toBe(true);
    expect(edit.body.attachments[0]).toMatchObject({ id: '0', description: 'Annualized basis by expiry' });
    const message = fake.originalMessage(interaction)!;
    expect(message.embeds[0].image.url).toBe('attachment://curve-SOL.png');
    expect(message.embeds[0].color).toBe(TONE_COLORS.backwardation);
    expect(message.attachments.map((attachment) => attachment.filename)).toEqual(['curve-SOL.png']);
  });

  test('a bad asset answers privately: the public placeholder is replaced by an ephemeral error without buttons', async () => {
    const { fake } = await start();
    const interaction = fake.command('basis', { asset: 'NOPE' });
    await answered(fake, interaction);

    const calls = fake.callsFor(interaction).map((call) => `${call.method} ${call.status}`);
    expect(calls).toEqual(['POST 204', 'DELETE 204', 'POST 200']);
    const followUp = webhookAnswers(fake, interaction)[0];
    expect(followUp.body.flags & MESSAGE_FLAG.Ephemeral).toBe(MESSAGE_FLAG.Ephemeral);
    expect(followUp.body.embeds[0].color).toBe(TONE_COLORS.error);
    expect(followUp.body.embeds[0].description).toContain('Unknown asset "NOPE".');
    expect(followUp.body.components).toEqual([]);
  });

  test('a cached answer skips the defer: one type-4 reply, ephemeral when it is an error', async () => {
    const { fake } = await start({ isCached: () => true });
    const good = fake.command('basis', { asset: 'ETH' });
    const bad = fake.command('basis', { asset: 'NOPE' });
    await answered(fake, good);
    await answered(fake, bad);

    expect(fake.callsFor(good).map((call) => call.body?.type)).toEqual([4]);
    expect(fake.originalMessage(good)!.embeds[0].title).toBe('ETH basis (run 1)');
    expect(fake.callsFor(bad).map((call) => call.body?.type)).toEqual([4]);
    expect(fake.originalMessage(bad)!.flags & MESSAGE_FLAG.Ephemeral).toBe(MESSAGE_FLAG.Ephemeral);
  });

  test('a "cached" command that turns out slow is deferred once the fast-reply budget runs out, before it finishes', async () => {
    const slow = gatedBasis();
    const { fake } = await start({ isCached: () => true, fastReplyBudgetMs: 200, commands: [slow.command] });
    const interaction = fake.command('basis', { asset: 'BTC' });
    // The command cannot finish until the gate opens, so only the budget can have sent this defer.
    await settled(fake, () => callbacks(fake, interaction).length > 0);
    const [first] = callbacks(fake, interaction);
    expect(first.body.type).toBe(5);
    expect(first.status).toBe(204);
    expect(slow.finished()).toBe(false);
    expect(webhookAnswers(fake, interaction)).toEqual([]);

    slow.gate.open();
    await answered(fake, interaction);
    expect(slow.finished()).toBe(true);
    expect(webhookAnswers(fake, interaction).map((call) => call.method)).toEqual(['PATCH']);
    expect(fake.originalMessage(interaction)!.embeds[0].title).toBe('BTC basis');
  });

  test('a "cached" command that finishes inside the budget answers in the callback itself, never deferred', async () => {
    const quick = gatedBasis();
    quick.gate.open();
    // A budget no busy machine can exhaust: the answer must come from the command, not a timer.
    const { fake } = await start({ isCached: () => true, fastReplyBudgetMs: 60_000, commands: [quick.command] });
    const interaction = fake.command('basis', { asset: 'ETH' });
    await answered(fake, interaction);
    expect(fake.callsFor(interaction).map((call) => call.body?.type)).toEqual([4]);
    expect(fake.originalMessage(interaction)!.embeds[0].title).toBe('ETH basis');
  });

  test('a command still running is acknowledged in time (the fake refuses late ones), and the answer is edited in when it finishes', async () => {
    const slow = gatedBasis();
    const { fake } = await start({ commands: [slow.command] });
    const interaction = fake.command('basis', { asset: 'BTC' });
    await settled(fake, () => callbacks(fake, interaction).length > 0);
    const [first] = callbacks(fake, interaction);
    expect([first.body.type, first.status]).toEqual([5, 204]);
    expect(slow.finished()).toBe(false);

    slow.gate.open();
    await answered(fake, interaction);
    const [edit] = webhookAnswers(fake, interaction);
    expect(edit.method).toBe('PATCH');
    expect(edit.at).toBeGreaterThanOrEqual(first.at);
    expect(fake.originalMessage(interaction)!.embeds[0].title).toBe('BTC basis');
  });

  test('subcommands reach the dispatcher as "alert add" with typed options', async () => {
    const { fake, runs } = await start();
    const interaction = fake.command('alert', { asset: 'ETH', above: 12.5 }, { subcommand: 'add' });
    await answered(fake, interaction);
    expect(runs.get('alert add')).toBe(1);
    expect(fake.originalMessage(interaction)!.embeds[0].description).toBe('ETH above 12.5%');
  });

  test('a personal command defers privately and stays private', async () => {
    const { fake } = await start();
    const interaction = fake.command('alert', {}, { subcommand: 'list' });
    await answered(fake, interaction);
    const [first] = callbacks(fake, interaction);
    expect(first.body).toMatchObject({ type: 5, data: { flags: MESSAGE_FLAG.Ephemeral } });
    expect(fake.originalMessage(interaction)!.flags & MESSAGE_FLAG.Ephemeral).toBe(MESSAGE_FLAG.Ephemeral);
    expect(fake.originalMessage(interaction)!.embeds[0].title).toBe('Your alerts');
  });

  test('a reply too long for one message goes out as several messages, each within Discord limits', async () => {
    const rows = Array.from({ length: 600 }, (_, index) => [`row-${index}`, 'x'.repeat(30), `${index}.0%`]);
    const huge: Command = {
      name: 'huge',
      description: 'A very long table',
      // Deferred like a venue command, so every part of the answer is a webhook message.
      isCached: () => false,
      options: [],
      run: async () => ({ ok: true, reply: { title: 'Huge', blocks: [{ kind: 'table', head: ['Name', 'Pad', 'Rate'], rows }] } }),
    };
    const { fake } = await start({ commands: [...testCommands().commands, huge] });
    const interaction = fake.command('huge');
    const shownRows = () => {
      const text = webhookAnswers(fake, interaction).flatMap((call) => call.body.embeds.map((embed: { description: string }) => embed.description)).join('\n');
      return rows.filter((row) => text.includes(`${row[0]} `));
    };
    // Waits for the last part to land rather than sleeping: a failed part would never show its rows.
    await settled(fake, () => shownRows().length === rows.length);

    expect(webhookAnswers(fake, interaction).length).toBeGreaterThan(1);
    expect(fake.callsFor(interaction).every((call) => call.status < 300)).toBe(true);
  });
});

describe('Refresh button', () => {
  test('re-runs the command and updates the same message (deferUpdate + edit)', async () => {
    const { fake, runs } = await start();
    const interaction = fake.command('basis', { asset: 'BTC' });
    await answered(fake, interaction);
    const message = fake.originalMessage(interaction)!;
    const click = fake.click(message.id, message.components[0].components[0].custom_id);
    await answered(fake, click);

    expect(callbacks(fake, click).map((call) => call.body.type)).toEqual([6]);
    expect(runs.get('basis')).toBe(2);
    const updated = fake.messages.get(message.id)!;
    expect(updated.embeds[0].title).toBe('BTC basis (run 2)');
    expect(updated.components[0].components[0].custom_id).toBe(message.components[0].components[0].custom_id);
  });

  test('with a cached answer it updates the message in the callback itself (type 7)', async () => {
    const { fake } = await start({ isCached: () => true });
    const interaction = fake.command('basis', { asset: 'SOL' });
    await answered(fake, interaction);
    const message = fake.originalMessage(interaction)!;
    const click = fake.click(message.id, message.components[0].components[0].custom_id);
    await answered(fake, click);
    expect(callbacks(fake, click).map((call) => call.body.type)).toEqual([7]);
    expect(fake.messages.get(message.id)!.embeds[0].title).toBe('SOL basis (run 2)');
  });

  test('a button this bot cannot read gets a private note instead of an error', async () => {
    const { fake } = await start();
    const interaction = fake.command('basis', { asset: 'BTC' });
    await answered(fake, interaction);
    const click = fake.click(fake.originalMessage(interaction)!.id, 'something-else');
    await answered(fake, click);
    const [reply] = callbacks(fake, click);
    expect(reply.body).toMatchObject({ type: 4, data: { flags: MESSAGE_FLAG.Ephemeral } });
  });
});

describe('autocomplete', () => {
  const choiceNames = (choices: { name: string }[] | undefined): string[] => (choices ?? []).map((choice) => choice.name);

  test('asset suggestions: prefix matches first, then by liquidity, case-insensitive, at most 25', async () => {
    const { fake } = await start();
    const typed = fake.autocomplete('basis', { asset: 'b' }, 'asset');
    const mixed = fake.autocomplete('basis', { asset: 'bT' }, 'asset');
    const empty = fake.autocomplete('basis', { asset: '' }, 'asset');
    for (const interaction of [typed, mixed, empty]) await answered(fake, interaction);

    const expectedPrefix = ASSETS.filter((asset) => asset.startsWith('B'));
    const expectedInside = ASSETS.filter((asset) => !asset.startsWith('B') && asset.includes('B'));
    expect(choiceNames(fake.interactions.get(typed.id)!.choices)).toEqual([...expectedPrefix, ...expectedInside]);
    expect(choiceNames(fake.interactions.get(mixed.id)!.choices)).toEqual(['BTC', 'BTCDOM', 'WBTC']);
    expect(choiceNames(fake.interactions.get(empty.id)!.choices)).toEqual(ASSETS.slice(0, 25));
    expect(callbacks(fake, typed)[0].body.type).toBe(8);
  });

  test('venue suggestions inside a subcommand', async () => {
    const { fake } = await start();
    const interaction = fake.autocomplete('alert', { asset: 'BTC', venue: 'by' }, 'venue', { subcommand: 'add' });
    await answered(fake, interaction);
    expect(fake.interactions.get(interaction.id)!.choices).toEqual([{ name: 'bybit', value: 'bybit' }]);
  });
});

describe('failures never crash the adapter', () => {
  test('10062 Unknown interaction is logged clearly and the next command still works', async () => {
    const { fake, lines } = await start();
    fake.fail('POST', '/callback', { kind: 'status', status: 404, code: 10062, message: 'Unknown interaction' });
    const lost = fake.command('basis', { asset: 'BTC' });
    await settled(fake, () => lines.some((line) => String(line.msg).includes('10062')));
    expect(fake.callsFor(lost).map((call) => call.status)).toEqual([404]);

    const next = fake.command('basis', { asset: 'ETH' });
    await answered(fake, next);
    expect(fake.originalMessage(next)!.embeds[0].title).toBe('ETH basis (run 2)');
  });

  test('a 429 on the edit is waited out by discord.js and the answer still lands', async () => {
    const { fake, lines } = await start();
    fake.fail('PATCH', '@original', { kind: 'rate-limit', retryAfterSec: 0.3 });
    const interaction = fake.command('basis', { asset: 'BTC' });
    await answered(fake, interaction);
    const edits = fake.callsFor(interaction).filter((call) => call.method === 'PATCH');
    expect(edits.map((call) => call.status)).toEqual([429, 200]);
    expect(edits[1].at - edits[0].at).toBeGreaterThanOrEqual(250);
    expect(lines.some((line) => line.msg === 'discord rate limit hit')).toBe(true);
  });

  test('a 5xx on the edit is retried by discord.js', async () => {
    const { fake } = await start();
    fake.fail('PATCH', '@original', { kind: 'status', status: 502 }, 2);
    const interaction = fake.command('curve', { asset: 'BTC' });
    await answered(fake, interaction);
    expect(fake.callsFor(interaction).filter((call) => call.method === 'PATCH').map((call) => call.status)).toEqual([502, 502, 200]);
  });
});
