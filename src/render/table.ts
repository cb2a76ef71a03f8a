/**
 * Monospace text helpers shared by every renderer that lays text out in a fixed-width font
 * (the console now, Telegram `<pre>` blocks later): cleaning hostile text, measuring how
 * many terminal columns a string takes, and laying out aligned tables.
 */

export type Align = 'left' | 'right';

// Whole escape sequences go first so their parameters ("[31m") do not survive as text.
const CSI_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]/g;
const OSC_SEQUENCE = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g;
// Any other escape: optional intermediate bytes then one final byte (ESC 7, ESC ( B, ESC c ...).
const OTHER_ESCAPE = /\x1b[ -/]*[0-~]?/g;
const C1_CSI_SEQUENCE = /\u009b[0-?]*[ -/]*[@-~]/g;
// Bidi overrides and isolates can visually reorder the rest of a line (the "Trojan source" trick).
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
const CONTROLS_EXCEPT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/g;
const ALL_CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;

/**
 * Removes terminal escape sequences, C0/C1 control characters and bidi overrides so that
 * text from outside cannot move the cursor, recolour the terminal or reorder a line.
 * Tabs become a space; newlines are kept only when `keepNewlines` is set. Carriage returns
 * count as line breaks, never as `\r`, since a bare `\r` lets text overwrite its own line.
 */
export function stripControls(text: string, options: { keepNewlines?: boolean } = {}): string {
  const withoutSequences = text
    .replace(CSI_SEQUENCE, '')
    .replace(OSC_SEQUENCE, '')
    .replace(C1_CSI_SEQUENCE, '')
    .replace(OTHER_ESCAPE, '')
    .replace(BIDI_CONTROLS, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ');
  if (options.keepNewlines) return withoutSequences.replace(CONTROLS_EXCEPT_NEWLINE, '');
  return withoutSequences.replace(/\n/g, ' ').replace(ALL_CONTROLS, '');
}

// East Asian Wide and Fullwidth blocks: each character takes two terminal columns.
const WIDE_RANGES: [number, number][] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff],
  [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f],
  [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff],
  [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}|\ufe0f/u;
const ZERO_WIDTH = /^[\p{M}\p{Cf}\p{Cc}]+$/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function isWide(codePoint: number): boolean {
  return WIDE_RANGES.some(([from, to]) => codePoint >= from && codePoint <= to);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/**
 * Code points that can join a neighbour into one grapheme cluster (UAX #29): marks and other
 * extenders, format characters (ZWJ, Prepend, tags), controls (CR LF), surrogates, emoji
 * modifiers, regional indicators, Hangul jamo (L/V/T), Thai and Lao SARA AM (SpacingMark) and
 * the Prepend letters. Text free of them is one cluster per code point: no segmenter needed.
 */
const CLUSTER_JOINERS =
  /[\p{M}\p{Cf}\p{Cc}\p{Cs}\p{Grapheme_Extend}\p{Emoji_Modifier}\p{Regional_Indicator}\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\u0e33\u0eb3\u0d4e\u{111c2}\u{111c3}\u{1193f}\u{11941}\u{11a3a}\u{11a84}-\u{11a89}\u{11d46}\u{11f02}]/u;
// Below this nothing is wide or asks for emoji presentation (the first such is U+1100 and
// U+231A), and the zero-width ones below it are all CLUSTER_JOINERS.
const FIRST_WIDE_OR_EMOJI = 0x1100;

/** A cluster is as wide as its base character, or 2 when it asks for emoji presentation. */
function clusterWidth(segment: string): number {
  // One code unit below the combining marks (Latin, Greek…): one column, no regex needed.
  if (segment.length === 1 && segment.charCodeAt(0) >= 0xa0 && segment.charCodeAt(0) < 0x300) return 1;
  if (ZERO_WIDTH.test(segment)) return 0;
  return EMOJI_PRESENTATION.test(segment) || isWide(segment.codePointAt(0)!) ? 2 : 1;
}

// V8 segments one long string in super-linear time (40,000 "é" take 1.4 s), so long text is
// segmented in windows of this many code units.
const WINDOW = 256;

// Code units examined so far, counting each segmenter window in full (windows overlap where a
// cluster crosses their edge): the work measure behind the deterministic linearity test.
let examined = 0;

/** Code units displayWidth has examined since the process started; only differences mean anything. */
export function measuredCodeUnits(): number {
  return examined;
}

/**
 * Width by grapheme segmentation, the exact path for any text: the fallback of displayWidth
 * for text with clusters of several code points, and the baseline its fast paths are checked
 * and benched against.
 */
export function segmentedWidth(text: string): number {
  let width = 0;
  let start = 0;
  while (start < text.length) {
    const window = text.slice(start, start + WINDOW);
    examined += window.length;
    let last: Intl.SegmentData | undefined;
    for (const part of graphemes.segment(window)) {
      if (last) width += clusterWidth(last.segment);
      last = part;
    }
    // The window's last cluster may continue past its end: it starts the next window instead.
    if (start + window.length >= text.length || !last || last.index === 0) {
      if (last) width += clusterWidth(last.segment);
      start += window.length;
    } else {
      start += last.index;
    }
  }
  return width;
}

/** Width of text that is one cluster per code point (no CLUSTER_JOINERS): each one on its own. */
function codePointWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    width += char.charCodeAt(0) < FIRST_WIDE_OR_EMOJI ? 1 : clusterWidth(char);
  }
  return width;
}

/** Terminal columns a string occupies: wide CJK and emoji count 2, combining marks 0. */
export function displayWidth(text: string): number {
  // Almost every cell is ASCII: one column per character, no grapheme segmentation needed.
  if (PRINTABLE_ASCII.test(text)) {
    examined += text.length;
    return text.length;
  }
  // Accents, CJK, arrows and lone emoji without joiners: still one cluster per code point.
  if (!CLUSTER_JOINERS.test(text)) {
    examined += text.length;
    return codePointWidth(text);
  }
  return segmentedWidth(text);
}

/** Pads `text` with spaces to `width` columns on the side opposite `align`. */
export function padToWidth(text: string, width: number, align: Align = 'left'): string {
  const padding = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? padding + text : text + padding;
}

// Cells that stand for "no value" and so say nothing about whether a column is numeric.
const PLACEHOLDER = /^(|-|–|—|n\/a|na|\?)$/i;
// Signed numbers with thousands separators, an optional currency sign and a short unit:
// "+12.3%", "-0.01%", "$65,000", "1,234.5", "42 d", "3.2x", "15 bp".
const NUMERIC = /^[+\-−]?[$€£]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s?(?:%|[a-z]{1,3})?$/i;

function looksNumeric(cells: string[]): boolean {
  const meaningful = cells.map((cell) => cell.trim()).filter((cell) => !PLACEHOLDER.test(cell));
  return meaningful.length > 0 && meaningful.every((cell) => NUMERIC.test(cell));
}

const COLUMN_GAP = '  ';

/**
 * Lays out a table as lines of monospace text: the head, a dashed separator under it, then
 * the rows, columns padded to their widest cell. Columns whose body cells all look numeric
 * are right-aligned unless `align` says otherwise. Cells are cleaned of control characters
 * and newlines, so one hostile cell cannot break the grid. Short rows are padded with blanks.
 */
export function layoutTable(head: string[], rows: string[][], align?: Align[]): string[] {
  // reduce, not Math.max(...spread): a spread of 100,000+ rows overflows the call stack.
  const columnCount = rows.reduce((most, row) => Math.max(most, row.length), head.length);
  if (columnCount === 0) return [];
  const clean = (cells: string[]): string[] =>
    Array.from({ length: columnCount }, (_, column) => stripControls(cells[column] ?? '').trim());
  const cleanHead = head.length > 0 ? clean(head) : undefined;
  const cleanRows = rows.map(clean);

  const columns = Array.from({ length: columnCount }, (_, column) => {
    const body = cleanRows.map((row) => row[column]);
    // At least one column wide so the separator and the cells stay in step for blank columns.
    const width = body.reduce((widest, cell) => Math.max(widest, displayWidth(cell)), Math.max(1, displayWidth(cleanHead?.[column] ?? '')));
    const side: Align = align?.[column] ?? (looksNumeric(body) ? 'right' : 'left');
    return { width, side };
  });

  const formatLine = (cells: string[]): string =>
    cells
      .map((cell, column) => padToWidth(cell, columns[column].width, columns[column].side))
      .join(COLUMN_GAP)
      .trimEnd();

  const lines: string[] = [];
  if (cleanHead) {
    lines.push(formatLine(cleanHead));
    lines.push(columns.map((column) => '-'.repeat(column.width)).join(COLUMN_GAP));
  }
  for (const row of cleanRows) lines.push(formatLine(row));
  return lines;
}
