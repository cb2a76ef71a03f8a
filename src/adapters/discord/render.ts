/**
 * Renders a platform-neutral Reply as Discord messages: embeds coloured by tone, tables as
 * monospace code blocks, the chart as an attachment the embed shows, actions as buttons.
 * Discord rejects a whole message when one embed limit is exceeded, so the text is split
 * across embeds (and, past 10 embeds or 6,000 characters, across several messages) instead
 * of being cut; only single values with their own hard limit (title, field) are truncated.
 */
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import type { Block, Reply, ReplyAction, Tone } from '../../core/reply.js';
import { layoutTable, stripControls } from '../../render/table.js';

/** Discord's documented message and embed limits. */
export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  /** Characters across every embed of one message (title, description, field names and values). */
  messageCharacters: 6000,
  embedsPerMessage: 10,
  buttonsPerRow: 5,
  rows: 5,
  buttonLabel: 80,
  attachmentDescription: 1024,
} as const;

export const TONE_COLORS: Record<Tone, number> = {
  contango: 0x57f287,
  backwardation: 0xed4245,
  // Grey, so a user error never reads as "backwardation".
  error: 0x99aab5,
  neutral: 0x5865f2,
};

export interface DiscordFile {
  name: string;
  data: Buffer;
  description?: string;
}

/** One Discord message: the first goes into the interaction reply, the rest are follow-ups. */
export interface DiscordMessage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  files: DiscordFile[];
}

export interface RenderOptions {
  /** The button custom_id for an action, or undefined to leave the button out. */
  customIdFor?: (action: ReplyAction) => string | undefined;
}

const ELLIPSIS = '…';
const ZERO_WIDTH_SPACE = '\u200b';

/** Cuts to `limit` UTF-16 units (never more than Discord counts), without splitting a surrogate pair. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = limit - ELLIPSIS.length;
  if (/[\ud800-\udbff]/.test(text.charAt(cut - 1))) cut -= 1;
  return text.slice(0, cut) + ELLIPSIS;
}

// Characters that open inline markup anywhere: emphasis, strike, spoiler, code, mentions
// (and timestamps, custom emoji, <links>), masked links. Discord drops a backslash before any
// punctuation, so escaping them all is invisible. (discord.js's escapeMarkdown uses lookbehinds
// that take ~100 ms on a 3,000-character text; this stays linear.)
const INLINE_MARKUP = /[\\*_~|`<[]/g;

/** Escapes Discord markdown, mentions, links, headings, lists and quotes in text from anywhere. */
export function escapeDiscordText(text: string): string {
  return stripControls(text, { keepNewlines: true })
    .replace(INLINE_MARKUP, '\\$&')
    .replace(/^(\s*)([#>-])/gm, '$1\\$2')
    .replace(/^(\s*\d+)\./gm, '$1\\.');
}

/** Inside a code block only a backtick can escape; a zero-width space keeps it from closing the block. */
function escapeCodeContent(text: string): string {
  return text.replace(/`/g, '`' + ZERO_WIDTH_SPACE);
}

function singleLine(text: string): string {
  return stripControls(text).replace(/ {2,}/g, ' ').trim();
}

/** Breaks a text longer than `limit` at line ends, then spaces, then anywhere. */
function splitText(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = window.lastIndexOf('\n');
    if (cut < limit / 2) cut = window.lastIndexOf(' ');
    if (cut < limit / 2) cut = limit;
    // Never leave an escaping backslash at the end of a piece, away from what it escapes.
    while (cut > 1 && rest.charAt(cut - 1) === '\\') cut -= 1;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[\n ]+/, '');
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** A table as one or more code blocks, each repeating the head so every piece stays readable. */
function renderTable(block: Extract<Block, { kind: 'table' }>): string[] {
  const lines = layoutTable(block.head, block.rows, block.align).map(escapeCodeContent);
  const headLines = block.head.length > 0 ? lines.slice(0, 2) : [];
  const bodyLines = lines.slice(headLines.length);
  const title = block.title ? `**${escapeDiscordText(singleLine(block.title))}**\n` : '';
  const overhead = '```\n'.length + '\n```'.length;
  const budget = DISCORD_LIMITS.description - overhead - title.length - headLines.join('\n').length - 1;
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of bodyLines) {
    const clipped = truncate(line, Math.max(1, budget));
    if (current.length > 0 && size + clipped.length + 1 > budget) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(clipped);
    size += clipped.length + 1;
  }
  if (current.length > 0 || chunks.length === 0) chunks.push(current);
  return chunks.map((chunk, index) => {
    const code = '```\n' + [...headLines, ...chunk].join('\n') + '\n```';
    return index === 0 ? title + code : code;
  });
}

function renderNote(block: Extract<Block, { kind: 'note' }>): string {
  const marker = block.tone === 'warn' ? '⚠️' : 'ℹ️';
  return `${marker} ${escapeDiscordText(singleLine(block.text))}`;
}

function toField(field: { label: string; value: string }): APIEmbedField {
  const value = escapeDiscordText(stripControls(field.value, { keepNewlines: true }).trim());
  return {
    name: truncate(escapeDiscordText(singleLine(field.label)) || ZERO_WIDTH_SPACE, DISCORD_LIMITS.fieldName),
    // Discord rejects an empty field value.
    value: truncate(value || ZERO_WIDTH_SPACE, DISCORD_LIMITS.fieldValue),
    // Short values sit side by side; long ones get a row of their own.
    inline: value.length <= 40,
  };
}

function renderFieldsAsLines(fields: { label: string; value: string }[]): string {
  return fields
    .map((field) => `**${escapeDiscordText(singleLine(field.label))}:** ${escapeDiscordText(singleLine(field.value))}`)
    .join('\n');
}

type Piece = { kind: 'text'; text: string } | { kind: 'field'; field: APIEmbedField };

/**
 * Embed fields always show below the description, so only fields with no text after them
 * become embed fields; earlier ones are written as "label: value" lines to keep the order.
 */
function toPieces(blocks: Block[]): Piece[] {
  const lastTextIndex = blocks.reduce((last, block, index) => (block.kind === 'fields' ? last : index), -1);
  return blocks.flatMap((block, index): Piece[] => {
    switch (block.kind) {
      case 'text': {
        const text = escapeDiscordText(block.text.trim());
        return splitText(text, DISCORD_LIMITS.description).map((part) => ({ kind: 'text', text: part }));
      }
      case 'note':
        return splitText(renderNote(block), DISCORD_LIMITS.description).map((part) => ({ kind: 'text', text: part }));
      case 'table':
        return renderTable(block).map((text) => ({ kind: 'text', text }));
      case 'fields':
        if (index < lastTextIndex) {
          return splitText(renderFieldsAsLines(block.fields), DISCORD_LIMITS.description).map((text) => ({ kind: 'text', text }));
        }
        return block.fields.map((field) => ({ kind: 'field', field: toField(field) }));
    }
  });
}

export function embedLength(embed: APIEmbed): number {
  const fields = embed.fields ?? [];
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0)
  );
}

function packEmbeds(pieces: Piece[], title: string | undefined, color: number): APIEmbed[] {
  const embeds: APIEmbed[] = [];
  let current: APIEmbed = { color, ...(title ? { title } : {}) };
  const flush = (): void => {
    if (current.description || current.fields?.length || current.title) embeds.push(current);
    current = { color };
  };
  for (const piece of pieces) {
    if (piece.kind === 'text') {
      const joined = current.description ? `${current.description}\n\n${piece.text}` : piece.text;
      const fits = joined.length <= DISCORD_LIMITS.description && embedLength(current) - (current.description?.length ?? 0) + joined.length <= DISCORD_LIMITS.messageCharacters;
      if (!fits || current.fields?.length) {
        flush();
        current.description = piece.text;
      } else {
        current.description = joined;
      }
    } else {
      const size = piece.field.name.length + piece.field.value.length;
      if ((current.fields?.length ?? 0) >= DISCORD_LIMITS.fields || embedLength(current) + size > DISCORD_LIMITS.messageCharacters) flush();
      current.fields = [...(current.fields ?? []), piece.field];
    }
  }
  flush();
  // An embed needs some content; a reply with nothing in it still answers.
  if (embeds.length === 0) embeds.push({ color, description: ZERO_WIDTH_SPACE });
  return embeds;
}

/** Groups embeds into messages within the per-message embed count and character budget. */
function packMessages(embeds: APIEmbed[]): APIEmbed[][] {
  const messages: APIEmbed[][] = [];
  let current: APIEmbed[] = [];
  let size = 0;
  for (const embed of embeds) {
    const length = embedLength(embed);
    if (current.length > 0 && (current.length >= DISCORD_LIMITS.embedsPerMessage || size + length > DISCORD_LIMITS.messageCharacters)) {
      messages.push(current);
      current = [];
      size = 0;
    }
    current.push(embed);
    size += length;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}

/** Discord attachment names: letters, digits, dot, dash and underscore. */
export function attachmentName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  if (!cleaned) return 'chart.png';
  return /\.png$/i.test(cleaned) ? cleaned : `${cleaned}.png`;
}

function renderButtons(actions: ReplyAction[], options: RenderOptions): APIActionRowComponent<APIButtonComponent>[] {
  const buttons: APIButtonComponent[] = [];
  const used = new Set<string>();
  for (const action of actions) {
    const customId = options.customIdFor?.(action);
    // Discord refuses a whole message in which two buttons share a custom_id.
    if (!customId || used.has(customId)) continue;
    used.add(customId);
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      custom_id: customId,
      label: truncate(singleLine(action.label) || action.id, DISCORD_LIMITS.buttonLabel),
    });
  }
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let start = 0; start < buttons.length && rows.length < DISCORD_LIMITS.rows; start += DISCORD_LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(start, start + DISCORD_LIMITS.buttonsPerRow) });
  }
  return rows;
}

/** Renders a Reply as one or more Discord messages; the chart and buttons ride on the first. */
export function renderReply(reply: Reply, options: RenderOptions = {}): DiscordMessage[] {
  const color = TONE_COLORS[reply.tone ?? 'neutral'];
  const title = reply.title ? truncate(escapeDiscordText(singleLine(reply.title)), DISCORD_LIMITS.title) : undefined;
  const groups = packMessages(packEmbeds(toPieces(reply.blocks), title, color));
  const messages: DiscordMessage[] = groups.map((embeds) => ({ embeds, components: [], files: [] }));
  const first = messages[0];
  if (reply.image) {
    const name = attachmentName(reply.image.name);
    const description = truncate(singleLine(reply.image.alt), DISCORD_LIMITS.attachmentDescription);
    first.files.push({ name, data: reply.image.png, ...(description ? { description } : {}) });
    // The image shows inside the last embed of the first message, under the text it illustrates.
    first.embeds[first.embeds.length - 1].image = { url: `attachment://${name}` };
  }
  first.components = renderButtons(reply.actions ?? [], options);
  return messages;
}
