import { describe, expect, it } from 'vitest';
import { displayWidth, layoutTable, padToWidth, stripControls } from '../../src/render/table.js';

describe('stripControls', () => {
  it('removes CSI, OSC and bare escape sequences with their parameters', () => {
    const hostile = 'a\x1b[31mred\x1b[0m b\x1b]0;pwned title\x07c\x1b[2J\x1b[Hd\x1b7e\x1b(Bf';
    expect(stripControls(hostile)).toBe('ared bcdef');
  });

  it('removes C0/C1 controls, bidi overrides and carriage returns', () => {
    expect(stripControls('ok\x00\x08\x7f\u009b31m\u202eevil\u2066x')).toBe('okevilx');
    expect(stripControls('fake\rreal')).toBe('fake real');
    expect(stripControls('fake\rreal', { keepNewlines: true })).toBe('fake\nreal');
  });

  it('turns tabs and newlines into spaces unless newlines are kept', () => {
    expect(stripControls('a\tb\nc\r\nd')).toBe('a b c d');
    expect(stripControls('a\tb\nc\r\nd', { keepNewlines: true })).toBe('a b\nc\nd');
  });

  it('leaves ordinary unicode, emoji sequences and accents alone', () => {
    const text = 'Ünïcode 比特币 👍🏽 👨‍👩‍👧 é';
    expect(stripControls(text)).toBe(text);
  });
});

describe('displayWidth', () => {
  it('counts ASCII as one column each', () => {
    expect(displayWidth('BTC-PERP')).toBe(8);
  });

  it('counts CJK and emoji as two columns', () => {
    expect(displayWidth('比特币')).toBe(6);
    expect(displayWidth('🚀')).toBe(2);
    expect(displayWidth('👨‍👩‍👧')).toBe(2);
  });

  it('counts combining marks as zero columns', () => {
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('\u200b')).toBe(0);
  });

  it('pads to a column width on the requested side', () => {
    expect(padToWidth('比', 4)).toBe('比  ');
    expect(padToWidth('7', 3, 'right')).toBe('  7');
    expect(padToWidth('toolong', 3)).toBe('toolong');
  });
});

describe('layoutTable', () => {
  it('pads columns, puts a separator under the head and right-aligns numeric columns', () => {
    const lines = layoutTable(['venue', 'expiry', 'basis'], [
      ['binance', 'Mar 28', '+10.2%'],
      ['okx', 'Jun 27', '-3.5%'],
    ]);
    expect(lines).toEqual([
      'venue    expiry   basis',
      '-------  ------  ------',
      'binance  Mar 28  +10.2%',
      'okx      Jun 27   -3.5%',
    ]);
  });

  it('measures wide characters by display width so columns line up', () => {
    const lines = layoutTable(['a', 'price', 'note'], [
      ['x', '65,000.5', 'plain'],
      ['比特币', '1', '🚀 up'],
      ['y', '—', ''],
    ]);
    expect(lines).toEqual([
      'a          price  note',
      '------  --------  -----',
      'x       65,000.5  plain',
      '比特币         1  🚀 up',
      'y              —',
    ]);
  });

  it('left-aligns columns with any non-numeric cell and honours an explicit align', () => {
    const auto = layoutTable(['k', 'v'], [['a', '1'], ['b', 'many']]);
    expect(auto[2]).toBe('a  1');
    const forced = layoutTable(['k', 'v'], [['a', '1'], ['b', 'many']], ['right', 'right']);
    expect(forced[2]).toBe('a     1');
    expect(forced[3]).toBe('b  many');
    const forcedLeft = layoutTable(['n'], [['1'], ['22']], ['left']);
    expect(forcedLeft.slice(2)).toEqual(['1', '22']);
  });

  it('treats units and placeholders as numeric-compatible', () => {
    const lines = layoutTable(['tenor'], [['7 d'], ['120 d'], ['n/a']]);
    expect(lines.slice(2)).toEqual(['  7 d', '120 d', '  n/a']);
    expect(layoutTable(['x'], [['—'], ['n/a']]).slice(2)).toEqual(['—', 'n/a']);
  });

  it('strips control characters and newlines from cells so the grid holds', () => {
    const lines = layoutTable(['x', 'y'], [['\x1b[31mred\x1b[0m', 'two\nlines'], ['b', 'c']]);
    expect(lines.join('\n')).not.toMatch(/\x1b/);
    expect(lines[2]).toBe('red  two lines');
    expect(lines[3]).toBe('b    c');
  });

  it('pads short rows and widens for rows longer than the head', () => {
    const lines = layoutTable(['a'], [['1', 'extra'], []]);
    expect(lines[0]).toBe('a');
    expect(lines[1]).toBe('-  -----');
    expect(lines[2]).toBe('1  extra');
    expect(lines[3]).toBe('');
  });

  it('lays out more rows than a spread can pass as arguments (150,000) without overflowing the stack', () => {
    const lines = layoutTable(['n'], Array.from({ length: 150_000 }, (_, i) => [String(i)]));
    expect(lines).toHaveLength(150_002);
    expect(lines[1]).toBe('------');
    expect(lines[150_001]).toBe('149999');
  });

  it('omits head and separator when the head is empty, and returns nothing for nothing', () => {
    expect(layoutTable([], [['a', 'b']])).toEqual(['a  b']);
    expect(layoutTable([], [])).toEqual([]);
  });
});
