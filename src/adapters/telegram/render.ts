/**
 * Renders a platform-neutral Reply as Telegram HTML messages. Every string that came from a
 * reply is escaped here, so the only markup Telegram ever sees is the markup this file writes.
 *
 * Rendering goes through a small model (lines of styled plain-text runs) instead of HTML
 * strings, so that a long reply can be split anywhere without ever cutting a tag or an
 * entity in half: a split inside a table closes `<pre>` and reopens it in the next message.
 */
import type { Block, Reply, Tone } from '../../core/reply.js';
import { layoutTable, stripControls } from '../../render/table.js';

/**
 * Longest message and caption we send. Telegram allows 4,096 and 1,024 characters after
 * parsing; we measure the HTML itself, which is never shorter, and keep messages strictly
 * under 4,096 as the design asks.
 */
export const MESSAGE_LIMIT = 4095;
export const CAPTION_LIMIT = 1024;
/** Beyond this a reply is cut short: a chat flooded with dozens of messages helps nobody. */
export const MAX_MESSAGES = 10;

export interface TelegramRendering {
  /** A chart to send first with sendPhoto; its caption is HTML within CAPTION_LIMIT. */
  photo?: { png: Buffer; filename: string; caption: string };
  /** HTML messages to send (after the photo, if any), each within MESSAGE_LIMIT. */
  messages: string[];
}

type Style = 'b' | 'i' | undefined;
interface Run {
  text: string;
  style?: Style;
}
interface Line {
  runs: Run[];
  /** Monospace line of a table, rendered inside `<pre>`. */
  pre: boolean;
  /** First line of a new section: preceded by a blank line unless it opens a message. */
  sectionStart: boolean;
}

const PRE_OPEN = '<pre>';
const PRE_CLOSE = '</pre>';
const TONE_MARK: Record<Tone, string> = { contango: '📈 ', backwardation: '📉 ', neutral: '', error: '' };
const NOTE_MARK = { warn: '⚠️ ', info: 'ℹ️ ' } as const;

/** Escapes the three characters Telegram's HTML parse mode reserves. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapedLength(char: string): number {
  return char === '&' ? 5 : char === '<' || char === '>' ? 4 : char.length;
}

function tagOverhead(style: Style): number {
  return style ? 2 * style.length + 5 : 0;
}

function runHtml(run: Run): string {
  const text = escapeHtml(run.text);
  return run.style ? `<${run.style}>${text}</${run.style}>` : text;
}

function lineHtml(line: Line): string {
  return line.runs.map(runHtml).join('');
}

function singleLine(text: string): string {
  return stripControls(text).replace(/ {2,}/g, ' ').trim();
}

function plainLines(text: string): Line[] {
  const lines: Line[] = [];
  let sectionStart = true;
  for (const raw of stripControls(text, { keepNewlines: true }).split('\n')) {
    const trimmed = raw.trimEnd();
    // Blank lines separate paragraphs: keep one, as the gap before the next section.
    if (trimmed.trim() === '') {
      sectionStart = true;
      continue;
    }
    lines.push({ runs: [{ text: trimmed }], pre: false, sectionStart });
    sectionStart = false;
  }
  return lines;
}

function blockLines(block: Block): Line[] {
  switch (block.kind) {
    case 'text':
      return plainLines(block.text);
    case 'fields':
      return block.fields.map((field, index) => ({
        runs: [{ text: `${singleLine(field.label)}:`, style: 'b' }, { text: ` ${singleLine(field.value)}` }],
        pre: false,
        sectionStart: index === 0,
      }));
    case 'table': {
      const title = block.title ? singleLine(block.title) : '';
      const titleLines: Line[] = title ? [{ runs: [{ text: title, style: 'b' }], pre: false, sectionStart: true }] : [];
      const rows = layoutTable(block.head, block.rows, block.align).map(
        (text, index): Line => ({ runs: [{ text }], pre: true, sectionStart: !title && index === 0 }),
      );
      return [...titleLines, ...rows];
    }
    case 'note':
      return [{ runs: [{ text: NOTE_MARK[block.tone] }, { text: singleLine(block.text), style: 'i' }], pre: false, sectionStart: true }];
  }
}

function replyLines(reply: Reply): Line[] {
  const lines: Line[] = [];
  const title = reply.title ? singleLine(reply.title) : '';
  if (title) lines.push({ runs: [{ text: `${TONE_MARK[reply.tone ?? 'neutral']}${title}`, style: 'b' }], pre: false, sectionStart: true });
  for (const block of reply.blocks) lines.push(...blockLines(block));
  return lines;
}

/**
 * Cuts a line too long for one message into pieces of at most `room` HTML characters,
 * preferring the last space, never inside a character pair, an entity or a tag.
 */
function splitLine(line: Line, room: number): Line[] {
  const items = line.runs.flatMap((run) => Array.from(run.text, (char) => ({ char, style: run.style })));
  const pieces: Line[] = [];
  let start = 0;
  while (start < items.length) {
    let end = start;
    let cost = 0;
    let lastStyle: Style | null = null;
    let lastSpace = -1;
    while (end < items.length) {
      const { char, style } = items[end];
      const add = escapedLength(char) + (style !== lastStyle ? tagOverhead(style) : 0);
      if (cost + add > room) break;
      cost += add;
      lastStyle = style;
      if (char === ' ') lastSpace = end;
      end += 1;
    }
    // Break at a word boundary unless that would leave a uselessly short piece.
    if (end < items.length && lastSpace - start > (end - start) / 2) end = lastSpace + 1;
    end = Math.max(end, start + 1);
    const runs: Run[] = [];
    for (const { char, style } of items.slice(start, end)) {
      const last = runs[runs.length - 1];
      if (last && last.style === style) last.text += char;
      else runs.push({ text: char, style });
    }
    pieces.push({ runs, pre: line.pre, sectionStart: pieces.length === 0 && line.sectionStart });
    start = end;
  }
  return pieces;
}

/** Accumulates lines into one message, tracking the `<pre>` state and the exact HTML length. */
class MessageBuilder {
  private html = '';
  private openPre = false;
  private empty = true;

  /** HTML characters appending `line` would cost, including closing an open `<pre>` at the end. */
  costOf(line: Line, body = lineHtml(line)): number {
    const closes = this.openPre && (!line.pre || line.sectionStart);
    const opens = line.pre && (!this.openPre || closes);
    const separator = this.empty ? 0 : line.sectionStart ? 2 : 1;
    const trailer = line.pre ? PRE_CLOSE.length : 0;
    return this.html.length + (closes ? PRE_CLOSE.length : 0) + separator + (opens ? PRE_OPEN.length : 0) + body.length + trailer;
  }

  append(line: Line, body = lineHtml(line)): void {
    const closes = this.openPre && (!line.pre || line.sectionStart);
    if (closes) this.html += PRE_CLOSE;
    if (!this.empty) this.html += line.sectionStart ? '\n\n' : '\n';
    if (line.pre && (!this.openPre || closes)) this.html += PRE_OPEN;
    this.html += body;
    this.openPre = line.pre;
    this.empty = false;
  }

  get isEmpty(): boolean {
    return this.empty;
  }

  finish(): string {
    return this.openPre ? this.html + PRE_CLOSE : this.html;
  }
}

/** Packs lines into messages, the first within `firstLimit`, the rest within MESSAGE_LIMIT. */
function packLines(lines: Line[], firstLimit = MESSAGE_LIMIT): string[] {
  const messages: string[] = [];
  let builder = new MessageBuilder();
  const limit = (): number => (messages.length === 0 ? firstLimit : MESSAGE_LIMIT);
  const flush = (): void => {
    if (!builder.isEmpty) messages.push(builder.finish());
    builder = new MessageBuilder();
  };
  // Lines are read by index and split pieces wait on a stack (last piece pushed first): shifting
  // and unshifting one array made long replies quadratic and overflowed the call stack at 400 KB.
  const pieces: Line[] = [];
  let next = 0;
  while (pieces.length > 0 || next < lines.length) {
    const line = pieces.length > 0 ? pieces.pop()! : lines[next++]!;
    const body = lineHtml(line);
    if (builder.costOf(line, body) <= limit()) {
      builder.append(line, body);
      continue;
    }
    if (!builder.isEmpty) {
      flush();
      pieces.push(line);
      continue;
    }
    // Alone in an empty message and still too long: split it and retry the pieces.
    const room = limit() - (line.pre ? PRE_OPEN.length + PRE_CLOSE.length : 0);
    const split = splitLine(line, room);
    for (let index = split.length - 1; index >= 0; index -= 1) pieces.push(split[index]!);
  }
  flush();
  return messages;
}

function truncated(messages: string[]): string[] {
  if (messages.length <= MAX_MESSAGES) return messages;
  const dropped = messages.length - (MAX_MESSAGES - 1);
  return [...messages.slice(0, MAX_MESSAGES - 1), `<i>… reply cut short: ${dropped} more messages were not sent.</i>`];
}

function photoFileName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
  return /\.png$/i.test(clean) ? clean : `${clean || 'chart'}.png`;
}

/** Renders a reply: the chart (if any) with as much text as fits its caption, then the messages. */
export function renderForTelegram(reply: Reply): TelegramRendering {
  const lines = replyLines(reply);
  if (!reply.image) {
    const messages = packLines(lines);
    return { messages: truncated(messages.length > 0 ? messages : ['—']) };
  }
  const alt = singleLine(reply.image.alt);
  const packed = lines.length > 0 ? packLines(lines, CAPTION_LIMIT) : packLines([{ runs: [{ text: alt }], pre: false, sectionStart: true }], CAPTION_LIMIT);
  const [caption = '', ...messages] = packed;
  return {
    photo: { png: reply.image.png, filename: photoFileName(reply.image.name), caption },
    messages: truncated(messages),
  };
}

/** The visible text of rendered HTML: the fallback when Telegram refuses our markup. */
export function htmlToPlainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
