/**
 * Renders a platform-neutral Reply as terminal text. Every string that came from a reply is
 * cleaned of escape sequences and control characters first, so colour and cursor movement
 * only ever come from this file, and only when the caller asked for colour.
 */
import type { Block, Reply, Tone } from '../core/reply.js';
import { displayWidth, layoutTable, padToWidth, stripControls } from './table.js';

export interface ConsoleRenderOptions {
  /** Emit ANSI colour and bold; off by default so piped output stays plain. */
  color?: boolean;
}

const WRAP_COLUMNS = 100;

const ANSI = {
  bold: '1',
  dim: '2',
  red: '31',
  green: '32',
  yellow: '33',
} as const;

type Style = keyof typeof ANSI;

const TONE_STYLE: Record<Tone, Style | undefined> = {
  contango: 'green',
  backwardation: 'red',
  error: 'red',
  neutral: undefined,
};

/**
 * Word-wraps one paragraph; a word longer than the width keeps its own line unbroken.
 * Linear: each word is measured once and the line's width is kept as a running sum (measuring
 * the growing line again for every word made a 200 KB paragraph take 40 s).
 */
export function wrapText(text: string, width: number, indent = ''): string[] {
  const indentWidth = displayWidth(indent);
  const lines: string[][] = [];
  let line: string[] = [];
  let lineWidth = 0;
  for (const word of text.split(/ +/)) {
    if (!word) continue;
    const wordWidth = displayWidth(word);
    if (line.length > 0 && indentWidth + lineWidth + 1 + wordWidth > width) {
      lines.push(line);
      line = [word];
      lineWidth = wordWidth;
    } else {
      lineWidth += (line.length > 0 ? 1 : 0) + wordWidth;
      line.push(word);
    }
  }
  if (line.length > 0) lines.push(line);
  return lines.map((words, index) => (index === 0 ? '' : indent) + words.join(' '));
}

function singleLine(text: string): string {
  return stripControls(text).replace(/ {2,}/g, ' ').trim();
}

class Painter {
  constructor(private readonly enabled: boolean) {}

  paint(text: string, ...styles: (Style | undefined)[]): string {
    const codes = styles.filter((style): style is Style => style !== undefined).map((style) => ANSI[style]);
    if (!this.enabled || codes.length === 0 || text === '') return text;
    return `\x1b[${codes.join(';')}m${text}\x1b[0m`;
  }
}

function renderText(text: string): string[] {
  // Blank lines separate paragraphs; single newlines inside a paragraph are the author's breaks.
  const paragraphs = stripControls(text, { keepNewlines: true }).split(/\n[ ]*\n+/);
  return paragraphs
    .map((paragraph) => paragraph.split('\n').flatMap((line) => wrapText(line.trim(), WRAP_COLUMNS)))
    .filter((lines) => lines.length > 0)
    .flatMap((lines, index) => (index === 0 ? lines : ['', ...lines]));
}

function renderBlock(block: Block, painter: Painter): string[] {
  switch (block.kind) {
    case 'text':
      return renderText(block.text);
    case 'fields': {
      const fields = block.fields.map((field) => ({ label: `${singleLine(field.label)}:`, value: singleLine(field.value) }));
      const labelWidth = fields.reduce((widest, field) => Math.max(widest, displayWidth(field.label)), 0);
      return fields.map((field) => `${painter.paint(padToWidth(field.label, labelWidth), 'bold')} ${field.value}`.trimEnd());
    }
    case 'table': {
      const lines = layoutTable(block.head, block.rows, block.align);
      const title = block.title ? singleLine(block.title) : '';
      return title ? [painter.paint(title, 'bold'), ...lines] : lines;
    }
    case 'note': {
      const prefix = block.tone === 'warn' ? 'Warning:' : 'Note:';
      const text = singleLine(block.text);
      const lines = wrapText(`${prefix} ${text}`, WRAP_COLUMNS, ' '.repeat(prefix.length + 1));
      return lines.map((line) => painter.paint(line, block.tone === 'warn' ? 'yellow' : 'dim'));
    }
  }
}

/** Renders a Reply for a terminal: title, blocks separated by blank lines, chart caption, actions. */
export function renderForConsole(reply: Reply, options: ConsoleRenderOptions = {}): string {
  const painter = new Painter(options.color ?? false);
  const sections: string[][] = [];

  const title = reply.title ? singleLine(reply.title) : '';
  if (title) sections.push([painter.paint(title, 'bold', TONE_STYLE[reply.tone ?? 'neutral'])]);

  for (const block of reply.blocks) {
    const lines = renderBlock(block, painter);
    if (lines.length > 0) sections.push(lines);
  }

  if (reply.image) sections.push([`Chart: ${singleLine(reply.image.alt) || singleLine(reply.image.name)}`]);

  const actions = (reply.actions ?? []).map((action) => `[${singleLine(action.id)}] ${singleLine(action.label)}`);
  if (actions.length > 0) sections.push([painter.paint(actions.join('  '), 'dim')]);

  return sections.map((lines) => lines.join('\n')).join('\n\n');
}
