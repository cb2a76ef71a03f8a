/**
 * Telegram's HTML parse mode as the fake Bot API checks it: only Telegram's tags, every tag
 * closed in order, every `<`, `>` and `&` outside markup escaped. Stricter than Telegram in
 * one way (unknown named entities are refused), so a renderer that passes here is safe there.
 */

/** Tags Telegram accepts in parse_mode HTML. */
export const TELEGRAM_TAGS = new Set([
  'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'tg-spoiler', 'span', 'blockquote',
]);
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const TAG = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*>/;
const ENTITY = /^&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]+);/;

export type ParsedHtml = { ok: true; text: string } | { ok: false; error: string };

function fail(html: string, index: number, why: string): ParsedHtml {
  const offset = Buffer.byteLength(html.slice(0, index), 'utf8');
  return { ok: false, error: `Bad Request: can't parse entities: ${why} at byte offset ${offset}` };
}

function decodeEntity(body: string): string | undefined {
  if (body.startsWith('#x') || body.startsWith('#X')) return String.fromCodePoint(parseInt(body.slice(2), 16));
  if (body.startsWith('#')) return String.fromCodePoint(Number(body.slice(1)));
  return ENTITIES[body.toLowerCase()];
}

/** Parses `html` the way Telegram would: the visible text, or the error Telegram answers with. */
export function parseTelegramHtml(html: string): ParsedHtml {
  const open: string[] = [];
  let text = '';
  let index = 0;
  while (index < html.length) {
    const char = html[index];
    const rest = html.slice(index, index + 2048);
    if (char === '<') {
      const tag = TAG.exec(rest);
      if (!tag) return fail(html, index, 'Unexpected end of name token');
      const [whole, slash, rawName] = tag;
      const name = rawName.toLowerCase();
      if (!TELEGRAM_TAGS.has(name)) return fail(html, index, `Unsupported start tag "${name}"`);
      if (slash) {
        const expected = open.pop();
        if (expected !== name) {
          return fail(html, index, expected ? `Unmatched end tag, expected "</${expected}>", found "</${name}>"` : `Unexpected end tag "${name}"`);
        }
      } else {
        const parent = open[open.length - 1];
        // Monospace entities hold no other formatting, except code directly inside pre.
        if (parent === 'code' || (parent === 'pre' && name !== 'code')) return fail(html, index, `Can't nest "${name}" inside "${parent}"`);
        open.push(name);
      }
      index += whole.length;
    } else if (char === '&') {
      const entity = ENTITY.exec(rest);
      const decoded = entity && decodeEntity(entity[1]);
      if (!entity || decoded === undefined) return fail(html, index, 'Character entity expected');
      text += decoded;
      index += entity[0].length;
    } else if (char === '>') {
      return fail(html, index, 'Unexpected ">"');
    } else {
      text += char;
      index += 1;
    }
  }
  if (open.length > 0) return fail(html, html.length, `Can't find end tag corresponding to start tag "${open[open.length - 1]}"`);
  return { ok: true, text };
}
