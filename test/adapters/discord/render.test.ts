import { describe, expect, test } from 'vitest';
import { DISCORD_LIMITS, embedLength, renderReply, TONE_COLORS, type DiscordMessage } from '../../../src/adapters/discord/render.js';
import type { Reply } from '../../../src/core/reply.js';
import { findPayloadProblem } from '../../fakes/discord-messages.js';

/** Every message must pass Discord's own rules (as the fake enforces them). */
function expectValid(messages: DiscordMessage[]): void {
  for (const message of messages) {
    expect(findPayloadProblem(message)).toBeUndefined();
    expect(message.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
  }
}

const descriptions = (messages: DiscordMessage[]): string =>
  messages.flatMap((message) => message.embeds.map((embed) => embed.description ?? '')).join('\n');

describe('renderReply', () => {
  test.each([
    ['contango', TONE_COLORS.contango],
    ['backwardation', TONE_COLORS.backwardation],
    ['error', TONE_COLORS.error],
    ['neutral', TONE_COLORS.neutral],
    [undefined, TONE_COLORS.neutral],
  ] as const)('tone %s colours the embed', (tone, color) => {
    const [message] = renderReply({ tone, blocks: [{ kind: 'text', text: 'hi' }] });
    expect(message.embeds[0].color).toBe(color);
  });

  test('error and backwardation colours differ, so a mistake never reads as a market state', () => {
    expect(new Set(Object.values(TONE_COLORS)).size).toBe(4);
  });

  test('escapes markdown, mentions and masked links in text from anywhere', () => {
    const [message] = renderReply({ title: '**BTC** <@1>', blocks: [{ kind: 'text', text: '*bold* _it_ <@123> [x](http://evil) # head\n> quote' }] });
    const [embed] = message.embeds;
    expect(embed.title).toBe('\\*\\*BTC\\*\\* \\<@1>');
    expect(embed.description).toContain('\\*bold\\* \\_it\\_ \\<@123> \\[x](http://evil)');
    expect(embed.description).toContain('\n\\> quote');
    expect(embed.description).not.toMatch(/(^|[^\\])<@/);
  });

  test('a title over 256 characters is truncated with an ellipsis', () => {
    const [message] = renderReply({ title: 'T'.repeat(300), blocks: [] });
    expect(message.embeds[0].title).toHaveLength(DISCORD_LIMITS.title);
    expect(message.embeds[0].title!.endsWith('…')).toBe(true);
  });

  test('tables are monospace code blocks that a backtick in a cell cannot close', () => {
    const [message] = renderReply({
      blocks: [{ kind: 'table', title: 'Curve', head: ['Venue', 'Rate'], rows: [['a```b', '1.0%'], ['okx', '12.5%']] }],
    });
    const description = message.embeds[0].description!;
    expect(description.startsWith('**Curve**\n```\n')).toBe(true);
    expect(description.match(/```/g)).toHaveLength(2);
    expect(description).toMatch(/Venue\s+Rate\n-+\s+-+\n/);
    // Numbers stay right-aligned: the two rate cells end in the same column.
    const lines = description.replace(/\u200b/g, '').split('\n').filter((line) => line.includes('%'));
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });

  test('a table longer than one embed is split into code blocks that each repeat the head', () => {
    const rows = Array.from({ length: 400 }, (_, index) => [`venue-${index}`, `${index}.00%`]);
    const messages = renderReply({ title: 'Big', blocks: [{ kind: 'table', head: ['Venue', 'Rate'], rows }] });
    expectValid(messages);
    const blocks = descriptions(messages).match(/```\n[\s\S]*?\n```/g)!;
    expect(blocks.length).toBeGreaterThan(1);
    for (const block of blocks) expect(block).toMatch(/^```\nVenue\s+Rate\n/);
    const text = descriptions(messages);
    expect(rows.every(([venue]) => text.includes(`${venue} `))).toBe(true);
    expect(messages[0].embeds[0].title).toBe('Big');
    expect(messages.flatMap((message) => message.embeds).filter((embed) => embed.title)).toHaveLength(1);
  });

  test('more than 25 fields continue in the next embed; long values are cut to 1,024', () => {
    const fields = Array.from({ length: 30 }, (_, index) => ({ label: `F${index}`, value: index === 0 ? 'v'.repeat(2000) : index === 1 ? '' : `v${index}` }));
    const messages = renderReply({ blocks: [{ kind: 'fields', fields }] });
    expectValid(messages);
    const embeds = messages.flatMap((message) => message.embeds);
    expect(embeds.map((embed) => embed.fields?.length)).toEqual([25, 5]);
    expect(embeds[0].fields![0].value).toHaveLength(DISCORD_LIMITS.fieldValue);
    expect(embeds[0].fields![0].inline).toBe(false);
    expect(embeds[0].fields![1].value).toBe('\u200b');
  });

  test('fields followed by text become lines so the reading order is kept', () => {
    const [message] = renderReply({
      blocks: [
        { kind: 'fields', fields: [{ label: 'Spot', value: '100' }] },
        { kind: 'text', text: 'after' },
        { kind: 'fields', fields: [{ label: 'Age', value: '2s' }] },
      ],
    });
    const [embed] = message.embeds;
    expect(embed.description).toBe('**Spot:** 100\n\nafter');
    expect(embed.fields).toEqual([{ name: 'Age', value: '2s', inline: true }]);
  });

  test('notes carry a marker for their tone', () => {
    const [message] = renderReply({ blocks: [{ kind: 'note', tone: 'warn', text: 'okx is stale' }, { kind: 'note', tone: 'info', text: 'mids' }] });
    expect(message.embeds[0].description).toBe('⚠️ okx is stale\n\nℹ️ mids');
  });

  test('a reply past 6,000 characters or 10 embeds is split into several valid messages', () => {
    const blocks = Array.from({ length: 30 }, (_, index) => ({ kind: 'text' as const, text: `${index} `.padEnd(3000, 'x') }));
    const messages = renderReply({ title: 'Long', blocks, image: { name: 'c.png', png: Buffer.from('png'), alt: 'a' }, actions: [{ id: 'refresh', label: 'Refresh' }] }, { customIdFor: () => 'refresh:x:{}' });
    expectValid(messages);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(DISCORD_LIMITS.messageCharacters);
    }
    expect(descriptions(messages).match(/^\d+ x+$/gm)).toHaveLength(30);
    // The chart and the buttons ride on the first message only.
    expect(messages.map((message) => message.files.length)).toEqual([1, ...messages.slice(1).map(() => 0)]);
    expect(messages.map((message) => message.components.length)).toEqual([1, ...messages.slice(1).map(() => 0)]);
  });

  test('the chart is attached under a safe name and shown through attachment://', () => {
    const png = Buffer.from('png-bytes');
    const [message] = renderReply({ title: 'Curve', blocks: [], image: { name: '../curve BTC', png, alt: 'BTC curve' } });
    expect(message.files).toEqual([{ name: 'curve_BTC.png', data: png, description: 'BTC curve' }]);
    expect(message.embeds[0].image).toEqual({ url: 'attachment://curve_BTC.png' });
  });

  test('buttons: only actions with a custom id, five to a row, labels cut to 80', () => {
    const actions = Array.from({ length: 7 }, (_, index) => ({ id: `a${index}`, label: index === 0 ? 'L'.repeat(90) : `A${index}` }));
    const reply: Reply = { blocks: [], actions };
    expect(renderReply(reply)[0].components).toEqual([]);
    const [message] = renderReply(reply, { customIdFor: (action) => (action.id === 'a6' ? undefined : `x:${action.id}`) });
    expect(message.components.map((row) => row.components.length)).toEqual([5, 1]);
    expect(message.components[0].components[0]).toMatchObject({ type: 2, style: 2, custom_id: 'x:a0' });
    expect((message.components[0].components[0] as { label: string }).label).toHaveLength(80);
  });

  test('an empty reply still renders a valid message', () => {
    const messages = renderReply({ blocks: [] });
    expect(messages).toHaveLength(1);
    expectValid(messages);
  });
});
