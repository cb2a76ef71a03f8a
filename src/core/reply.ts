/**
 * The platform-neutral reply every command returns. Adapters (console, Telegram,
 * Discord) render it; nothing here carries markup, so every adapter escapes all of it.
 */
export type Tone = 'contango' | 'backwardation' | 'neutral' | 'error';

export type Block =
  | { kind: 'text'; text: string }
  | { kind: 'fields'; fields: { label: string; value: string }[] }
  | { kind: 'table'; title?: string; head: string[]; rows: string[][]; align?: ('left' | 'right')[] }
  | { kind: 'note'; tone: 'info' | 'warn'; text: string };

export interface ReplyImage {
  /** File name the adapter attaches the PNG under, e.g. `curve-BTC.png`. */
  name: string;
  png: Buffer;
  /** Text alternative, used as the caption where the platform needs one. */
  alt: string;
}

export interface ReplyAction {
  /** Opaque id the adapter hands back to the registry (for example `refresh`). */
  id: string;
  label: string;
}

export interface Reply {
  title?: string;
  tone?: Tone;
  blocks: Block[];
  image?: ReplyImage;
  actions?: ReplyAction[];
}

/** A user error: plain words, no markup, tone `error`. */
export function errorReply(text: string, hint?: string): Reply {
  const blocks: Block[] = [{ kind: 'text', text }];
  if (hint) blocks.push({ kind: 'note', tone: 'info', text: hint });
  return { tone: 'error', blocks };
}
