import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.js';
import { layoutTable } from '../../../src/render/table.js';
import {
  CAPTION_LIMIT,
  MAX_MESSAGES,
  MESSAGE_LIMIT,
  escapeHtml,
  htmlToPlainText,
  renderForTelegram,
} from '../../../src/adapters/telegram/render.js';
import { parseTelegramHtml } from '../../fakes/telegram-html.js';

/** Parses like Telegram and fails the test with Telegram's error if the HTML is refused. */
function visible(html: string): string {
  const parsed = parseTelegramHtml(html);
  if (!parsed.ok) throw new Error(`${parsed.error}\n${html.slice(0, 300)}`);
  return parsed.text;
}

function expectAllValid(messages: string[], limit = MESSAGE_LIMIT): void {
  for (const message of messages) {
    expect(message.length).toBeLessThanOrEqual(limit);
    visible(message);
  }
}

describe('renderForTelegram: escaping', () => {
  it('escapes every reply-supplied string, so hostile text shows literally', () => {
    const reply: Reply = {
      title: '<b>Boss</b> & co',
      blocks: [
        { kind: 'text', text: 'close it: </pre><script>alert(1)</script> &amp; done' },
        { kind: 'fields', fields: [{ label: '<i>venue', value: 'a&b > c' }] },
        { kind: 'table', title: '</b>table', head: ['name', 'value'], rows: [['</pre>', '<b>1</b>']] },
        { kind: 'note', tone: 'warn', text: '<tg-spoiler>x</tg-spoiler>' },
      ],
    };
    const { messages } = renderForTelegram(reply);
    expect(messages).toHaveLength(1);
    const html = messages[0];
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<tg-spoiler>');
    expect(html.match(/<pre>/g)).toHaveLength(1);
    expect(html.match(/<\/pre>/g)).toHaveLength(1);
    const text = visible(html);
    for (const literal of ['<b>Boss</b> & co', '</pre><script>alert(1)</script> &amp; done', '<i>venue:', 'a&b > c', '</b>table', '<tg-spoiler>x</tg-spoiler>']) {
      expect(text).toContain(literal);
    }
  });

  it('escapes exactly the three characters HTML mode reserves', () => {
    expect(escapeHtml(`<a href="x">&'`)).toBe(`&lt;a href="x"&gt;&amp;'`);
    expect(htmlToPlainText('<b>&lt;b&gt; &amp;amp;</b>')).toBe('<b> &amp;');
  });

  it('drops terminal control characters from reply text', () => {
    const { messages } = renderForTelegram({ blocks: [{ kind: 'text', text: 'ok\x1b[31mred\x00\u202eevil' }] });
    expect(visible(messages[0])).toBe('okredevil');
  });
});

describe('renderForTelegram: layout', () => {
  it('puts the title in bold, tables in <pre> laid out by layoutTable, and prefixes notes', () => {
    const head = ['venue', 'basis'];
    const rows = [['binance', '+8.12%'], ['okx', '-0.50%']];
    const { messages } = renderForTelegram({
      title: 'BTC basis',
      tone: 'contango',
      blocks: [
        { kind: 'table', head, rows },
        { kind: 'note', tone: 'warn', text: 'okx quote is stale' },
        { kind: 'note', tone: 'info', text: 'mid prices' },
      ],
    });
    const html = messages[0];
    expect(html.startsWith('<b>📈 BTC basis</b>\n\n<pre>')).toBe(true);
    expect(html).toContain(`<pre>${layoutTable(head, rows).join('\n')}</pre>`);
    expect(html).toContain('⚠️ <i>okx quote is stale</i>');
    expect(html).toContain('ℹ️ <i>mid prices</i>');
  });

  it('renders fields as bold labels and keeps paragraph breaks of text', () => {
    const { messages } = renderForTelegram({
      blocks: [
        { kind: 'text', text: 'first paragraph\nsame paragraph\n\n\nsecond' },
        { kind: 'fields', fields: [{ label: 'Spot', value: '65,000' }, { label: 'Basis', value: '+1.2%' }] },
      ],
    });
    expect(messages[0]).toBe('first paragraph\nsame paragraph\n\nsecond\n\n<b>Spot:</b> 65,000\n<b>Basis:</b> +1.2%');
  });
});

describe('renderForTelegram: splitting', () => {
  it('splits a 5,000+ character reply at line boundaries into valid messages under 4,096', () => {
    const lines = Array.from({ length: 120 }, (_, index) => `line ${String(index).padStart(3, '0')} ${'x'.repeat(40)} & <tag>`);
    const { messages } = renderForTelegram({ title: 'Long', blocks: [{ kind: 'text', text: lines.join('\n') }] });
    expect(lines.join('\n').length).toBeGreaterThan(5_000);
    expect(messages.length).toBeGreaterThan(1);
    expectAllValid(messages);
    const shown = messages.map(visible);
    // Every line arrives whole, once, in order.
    expect(shown.join('\n').split('\n').filter((line) => line.startsWith('line '))).toEqual(lines);
  });

  it('closes and reopens <pre> when a table is split', () => {
    const rows = Array.from({ length: 300 }, (_, index) => [`BTC-${index}`, `${index}.00%`, '</pre>&']);
    const { messages } = renderForTelegram({ blocks: [{ kind: 'table', head: ['contract', 'rate', 'note'], rows }] });
    expect(messages.length).toBeGreaterThan(1);
    expectAllValid(messages);
    for (const message of messages) {
      expect(message.startsWith('<pre>')).toBe(true);
      expect(message.endsWith('</pre>')).toBe(true);
    }
    const shownRows = messages.flatMap((message) => visible(message).split('\n')).filter((line) => line.startsWith('BTC-'));
    expect(shownRows).toHaveLength(300);
  });

  it('cuts a single over-long line at spaces, and hard-cuts a word without splitting an entity', () => {
    const words = Array.from({ length: 1_000 }, (_, index) => `w${index}`).join(' ');
    const spaced = renderForTelegram({ blocks: [{ kind: 'text', text: words }] }).messages;
    expect(spaced.length).toBeGreaterThan(1);
    expectAllValid(spaced);
    expect(spaced.map((message) => visible(message).trim()).join(' ')).toBe(words);

    const ampersands = '&'.repeat(2_000); // 10,000 characters once escaped
    const hard = renderForTelegram({ blocks: [{ kind: 'text', text: ampersands }] }).messages;
    expect(hard.length).toBe(3);
    expectAllValid(hard);
    expect(hard.map(visible).join('')).toBe(ampersands);
  });

  it('keeps styled runs balanced when a styled line is split', () => {
    const { messages } = renderForTelegram({ title: `T${'<'.repeat(3_000)}`, blocks: [] });
    expect(messages.length).toBe(3);
    expectAllValid(messages);
    for (const message of messages) expect(message).toMatch(/^<b>.*<\/b>$/s);
  });

  it('cuts a runaway reply short with a closing note', () => {
    const text = Array.from({ length: 2_000 }, () => 'y'.repeat(60)).join('\n');
    const { messages } = renderForTelegram({ blocks: [{ kind: 'text', text }] });
    expect(messages).toHaveLength(MAX_MESSAGES);
    expect(visible(messages[MAX_MESSAGES - 1])).toMatch(/reply cut short: \d+ more messages/);
  });
});

describe('renderForTelegram: charts', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

  it('uses the first 1,024 characters as caption and sends the rest as messages', () => {
    const text = Array.from({ length: 60 }, (_, index) => `row ${index} ${'z'.repeat(30)}`).join('\n');
    const rendering = renderForTelegram({ title: 'Curve', blocks: [{ kind: 'text', text }], image: { name: 'curve BTC.png', png, alt: 'chart' } });
    expect(rendering.photo?.png).toBe(png);
    expect(rendering.photo?.filename).toBe('curve_BTC.png');
    expect(rendering.photo!.caption.length).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(rendering.photo!.caption.startsWith('<b>Curve</b>')).toBe(true);
    expect(rendering.messages.length).toBeGreaterThan(0);
    expectAllValid(rendering.messages);
    const shown = [visible(rendering.photo!.caption), ...rendering.messages.map(visible)].join('\n');
    expect(shown.split('\n').filter((line) => line.startsWith('row '))).toHaveLength(60);
  });

  it('captions an image-only reply with its escaped alt text', () => {
    const rendering = renderForTelegram({ blocks: [], image: { name: 'c', png, alt: 'BTC <curve>' } });
    expect(rendering.photo?.caption).toBe('BTC &lt;curve&gt;');
    expect(rendering.photo?.filename).toBe('c.png');
    expect(rendering.messages).toEqual([]);
  });
});

describe('very long replies', () => {
  it('packs 40,000 short blocks and one 400 KB word without overflowing the stack, cut to the message cap', () => {
    const manyLines: Reply = { blocks: Array.from({ length: 40_000 }, (_, i) => ({ kind: 'text', text: `line ${i} ok` })) } as Reply;
    const oneWord: Reply = { blocks: [{ kind: 'text', text: 'x'.repeat(400_000) }] } as Reply;
    for (const reply of [manyLines, oneWord]) {
      const { messages } = renderForTelegram(reply);
      expect(messages).toHaveLength(MAX_MESSAGES);
      for (const message of messages) expect(message.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(messages.at(-1)).toMatch(/reply cut short: \d+ more messages were not sent/);
    }
    // Order is kept: the first message starts with the first line and the pieces follow on.
    expect(visible(renderForTelegram(manyLines).messages[0]!).startsWith('line 0 ok\n\nline 1 ok\n\n')).toBe(true);
  });
});
