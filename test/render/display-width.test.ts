/**
 * displayWidth's fast paths (printable ASCII; text that is one grapheme cluster per code point)
 * must give exactly what grapheme segmentation gives. Checked against segmentedWidth, the
 * segmenter path, on seeded random strings built from characters chosen to hit every
 * cluster rule (marks, ZWJ, emoji modifiers, regional indicators, Hangul jamo, Prepend, CR LF).
 */
import { describe, expect, it } from 'vitest';
import { displayWidth, segmentedWidth } from '../../src/render/table.js';

// One cluster per code point whatever their neighbours: these may take the fast path.
const STANDALONE = ['a', 'Z', ' ', '~', 'é', 'ß', '·', 'Ω', 'Ж', '–', '→', '…', '€', '▲', '❤', '⌚', '比', '한', 'Ａ', 'ｶ', '🚀', '👍', '😀', 'ก', 'क', 'ष', '\u00a0'];
// Characters that join a neighbour into one cluster, or are zero-width on their own.
const JOINERS = [
  '\u0301', '\u0308', '\u200d', '\ufe0f', '\u20e3', '\u{1f3fd}', '\u{1f1fa}', '\u{1f1f8}', '\u1100', '\u1161', '\u11a8',
  '\u0e33', '\u094d', '\u0600', '\u0d4e', '\uff9e', '\u200b', '\u{e0041}', '\r', '\n', '\x00', '\ud800', '\udc00',
];

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomText(next: () => number, pool: string[], length: number): string {
  return Array.from({ length }, () => pool[Math.floor(next() * pool.length)]).join('');
}

describe('displayWidth fast paths', () => {
  it('agree with grapheme segmentation on text of standalone characters (the per-code-point path)', () => {
    const next = random(12);
    for (let i = 0; i < 2_000; i += 1) {
      const text = randomText(next, STANDALONE, 1 + Math.floor(next() * 40));
      expect(displayWidth(text), JSON.stringify(text)).toBe(segmentedWidth(text));
    }
  });

  it('agree with grapheme segmentation when joiners are mixed in (the segmenter path)', () => {
    const next = random(34);
    const pool = [...STANDALONE, ...JOINERS];
    for (let i = 0; i < 2_000; i += 1) {
      const text = randomText(next, pool, 1 + Math.floor(next() * 40));
      expect(displayWidth(text), JSON.stringify(text)).toBe(segmentedWidth(text));
    }
  });

  it('measures the characters replies use every day without guessing', () => {
    expect(displayWidth('+12.3% → either')).toBe(15);
    expect(displayWidth('as of 04:40 · binance')).toBe(21);
    expect(displayWidth('Ünïcode 比特币')).toBe(14);
    expect(displayWidth('⌚❤')).toBe(3); // U+231A asks for emoji presentation, U+2764 alone does not
    expect(displayWidth('한국')).toBe(4);
    expect(displayWidth('🇺🇸')).toBe(2);
    expect(displayWidth('👍🏽')).toBe(2);
    expect(displayWidth('क्ष')).toBe(1);
  });

  it('keeps long text exact across the segmenter windows', () => {
    // Each unit is a whole cluster, and none joins the next: the width is the units' sum.
    const units = ['a\u0301', '👨‍👩‍👧', '🇺🇸', 'x', '1️⃣', 'e\u0301\u0302\u0303', '比'];
    const text = Array.from({ length: 1_500 }, (_, i) => units[i % units.length]).join('');
    const expected = Array.from({ length: 1_500 }, (_, i) => displayWidth(units[i % units.length])).reduce((a, b) => a + b, 0);
    expect(text.length).toBeGreaterThan(256 * 10);
    expect(displayWidth(text)).toBe(expected);
    // One cluster far longer than a window still counts once.
    expect(displayWidth(`a${'\u0301'.repeat(1_000)}b`)).toBe(2);
  });
});
