/**
 * Console rendering does work linear in its input, checked without a clock: measuredCodeUnits
 * counts every code unit displayWidth examines (segmenter windows counted in full), so
 * re-measuring a growing line or prefix, or windows that overlap too much, shows up as a
 * count that grows faster than the input. Wall-clock linearity is in bench/render.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply.js';
import { renderForConsole } from '../../src/render/console.js';
import { measuredCodeUnits } from '../../src/render/table.js';

/** Hostile shapes of about `size` code units each, one per way text reaches a measurement. */
const SHAPES: Record<string, (size: number) => Reply> = {
  'one long ASCII word': (size) => ({ blocks: [{ kind: 'text', text: 'x'.repeat(size) }] }),
  'one long accented word': (size) => ({ blocks: [{ kind: 'text', text: 'é'.repeat(size) }] }),
  'one long word of combining marks': (size) => ({ blocks: [{ kind: 'text', text: 'a\u0301'.repeat(size / 2) }] }),
  'one long word of ZWJ emoji': (size) => ({ blocks: [{ kind: 'text', text: '👨‍👩‍👧'.repeat(size / 8) }] }),
  'many short words': (size) => ({ blocks: [{ kind: 'text', text: 'ab 比 '.repeat(size / 5) }] }),
  'a long warning note': (size) => ({ blocks: [{ kind: 'note', tone: 'warn', text: 'okx → 🚀 '.repeat(size / 9) }] }),
  'a field with a long label and value': (size) => ({ blocks: [{ kind: 'fields', fields: [{ label: 'é'.repeat(size / 2), value: 'v '.repeat(size / 4) }] }] }),
  'a table with many rows': (size) => ({ blocks: [{ kind: 'table', head: ['venue', 'basis'], rows: Array.from({ length: size / 20 }, (_, i) => [`row ${String(i).padStart(6, '0')} ·`, '+1.2%']) }] }),
  'a title of open escapes': (size) => ({ title: '\x1b['.repeat(size / 2), blocks: [] }),
};

function workFor(reply: Reply): number {
  const before = measuredCodeUnits();
  renderForConsole(reply);
  return measuredCodeUnits() - before;
}

describe('console rendering work', () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    it(`grows linearly with the input: ${name}`, () => {
      const small = workFor(shape(25_000));
      const large = workFor(shape(400_000));
      // 16x the input may cost 16x the work (a little more for rounding), never 16² times.
      expect(large).toBeLessThanOrEqual(small * 16 * 1.05);
      // And a bounded number of looks per input code unit (cells are measured to size and pad).
      expect(large / 400_000).toBeLessThan(4);
    });
  }
});
