import { describe, expect, it } from 'vitest';
import { errorReply, type Reply } from '../../src/core/reply.js';
import { renderForConsole, wrapText } from '../../src/render/console.js';

const ESC = '\x1b';
const stripAnsi = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, '');

describe('renderForConsole', () => {
  it('renders the title and separates blocks with blank lines', () => {
    const out = renderForConsole({
      title: 'BTC basis',
      tone: 'contango',
      blocks: [
        { kind: 'text', text: 'The curve is in contango.' },
        { kind: 'fields', fields: [{ label: 'Perp funding', value: '+10.9%/yr' }, { label: 'Spot', value: '65,000' }] },
      ],
    });
    expect(out).toBe(['BTC basis', '', 'The curve is in contango.', '', 'Perp funding: +10.9%/yr', 'Spot:         65,000'].join('\n'));
  });

  it('wraps text paragraphs at 100 columns and keeps paragraph breaks', () => {
    const sentence = 'basis '.repeat(60).trim();
    const out = renderForConsole({ blocks: [{ kind: 'text', text: `${sentence}\n\nsecond paragraph\nwith a line break` }] });
    const lines = out.split('\n');
    expect(lines.every((line) => line.length <= 100)).toBe(true);
    expect(lines.length).toBeGreaterThan(4);
    expect(lines.join(' ').split(' ').filter((word) => word === 'basis')).toHaveLength(60);
    expect(lines.slice(-3)).toEqual(['', 'second paragraph', 'with a line break']);
  });

  it('does not split a word longer than the wrap width', () => {
    const url = `https://example.test/${'x'.repeat(120)}`;
    expect(wrapText(`see ${url} now`, 100)).toEqual(['see', url, 'now']);
  });

  it('lays tables out with their optional title', () => {
    const out = renderForConsole({
      blocks: [{ kind: 'table', title: 'Curve', head: ['expiry', 'basis'], rows: [['Mar 28', '+10.2%'], ['Jun 27', '-3.5%']] }],
    });
    expect(out.split('\n')).toEqual(['Curve', 'expiry   basis', '------  ------', 'Mar 28  +10.2%', 'Jun 27   -3.5%']);
  });

  it('prefixes notes with Note: / Warning: and indents wrapped note lines', () => {
    const out = renderForConsole({
      blocks: [
        { kind: 'note', tone: 'info', text: 'quotes are 2 s old' },
        { kind: 'note', tone: 'warn', text: 'deribit did not answer '.repeat(6).trim() },
      ],
    });
    const lines = out.split('\n');
    expect(lines[0]).toBe('Note: quotes are 2 s old');
    expect(lines[2].startsWith('Warning: deribit')).toBe(true);
    expect(lines.length).toBe(4);
    expect(lines[3]).toMatch(/^ {9}\S/); // continuation lines hang under the text, not the prefix
    expect(lines.every((line) => line.length <= 100)).toBe(true);
  });

  it('mentions the chart by its alt text and lists actions as hints', () => {
    const out = renderForConsole({
      blocks: [],
      image: { name: 'curve-BTC.png', png: Buffer.from('x'), alt: 'BTC term structure' },
      actions: [{ id: 'refresh', label: 'Refresh' }, { id: 'venues', label: 'By venue' }],
    });
    expect(out).toBe('Chart: BTC term structure\n\n[refresh] Refresh  [venues] By venue');
  });

  it('uses no ANSI codes by default', () => {
    const out = renderForConsole({
      title: 'T',
      tone: 'backwardation',
      blocks: [{ kind: 'note', tone: 'warn', text: 'w' }, { kind: 'fields', fields: [{ label: 'a', value: 'b' }] }],
      actions: [{ id: 'x', label: 'y' }],
    });
    expect(out).not.toContain(ESC);
  });

  it('colours the title by tone and warnings yellow when colour is on', () => {
    const render = (tone: Reply['tone']): string => renderForConsole({ title: 'Title', tone, blocks: [] }, { color: true });
    expect(render('contango')).toBe(`${ESC}[1;32mTitle${ESC}[0m`);
    expect(render('backwardation')).toBe(`${ESC}[1;31mTitle${ESC}[0m`);
    expect(render('error')).toBe(`${ESC}[1;31mTitle${ESC}[0m`);
    expect(render('neutral')).toBe(`${ESC}[1mTitle${ESC}[0m`);
    expect(render(undefined)).toBe(`${ESC}[1mTitle${ESC}[0m`);
    const warn = renderForConsole({ blocks: [{ kind: 'note', tone: 'warn', text: 'stale' }] }, { color: true });
    expect(warn).toBe(`${ESC}[33mWarning: stale${ESC}[0m`);
    const info = renderForConsole({ blocks: [{ kind: 'note', tone: 'info', text: 'fyi' }] }, { color: true });
    expect(stripAnsi(info)).toBe('Note: fyi');
    expect(info).not.toContain('[33m');
  });

  it('gives the same text with colour on once the ANSI codes are removed', () => {
    const reply: Reply = {
      title: 'BTC',
      tone: 'contango',
      blocks: [
        { kind: 'fields', fields: [{ label: 'a', value: '1' }, { label: 'longer', value: '2' }] },
        { kind: 'table', title: 'Curve', head: ['x'], rows: [['1']] },
        { kind: 'note', tone: 'warn', text: 'w' },
      ],
      actions: [{ id: 'refresh', label: 'Refresh' }],
    };
    expect(stripAnsi(renderForConsole(reply, { color: true }))).toBe(renderForConsole(reply));
  });

  it('strips escape sequences and control characters from every reply-supplied string', () => {
    const evil = `x${ESC}[2J${ESC}[31m${ESC}]0;title\x07\x07\r\b\u202e`;
    const reply: Reply = {
      title: `T${evil}`,
      tone: 'neutral',
      blocks: [
        { kind: 'text', text: `text${evil}` },
        { kind: 'fields', fields: [{ label: `l${evil}`, value: `v${evil}` }] },
        { kind: 'table', title: `tt${evil}`, head: [`h${evil}`], rows: [[`c${evil}`]] },
        { kind: 'note', tone: 'warn', text: `n${evil}` },
      ],
      image: { name: 'c.png', png: Buffer.alloc(0), alt: `alt${evil}` },
      actions: [{ id: `id${evil}`, label: `lab${evil}` }],
    };
    for (const color of [false, true]) {
      const out = renderForConsole(reply, { color });
      const withoutOurCodes = out.replace(/\x1b\[[0-9;]*m/g, '');
      expect(withoutOurCodes).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
      for (const piece of ['Tx', 'textx', 'l', 'vx', 'ttx', 'hx', 'cx', 'Warning: nx', 'Chart: altx', '[idx] labx']) {
        expect(withoutOurCodes).toContain(piece);
      }
    }
  });

  it('renders an errorReply with its hint as a note', () => {
    expect(renderForConsole(errorReply('Unknown asset "FOO".', 'Try BTC or ETH.'))).toBe('Unknown asset "FOO".\n\nNote: Try BTC or ETH.');
  });
});
