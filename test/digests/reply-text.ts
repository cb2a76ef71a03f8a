import type { Reply } from '../../src/core/reply.js';

/** Every character a platform would show of a reply (title, texts, notes, table cells), for content and size checks. */
export function replyText(reply: Reply): string {
  const parts: string[] = [reply.title ?? ''];
  for (const block of reply.blocks) {
    if (block.kind === 'text' || block.kind === 'note') parts.push(block.text);
    else if (block.kind === 'table') parts.push(block.title ?? '', block.head.join(' | '), ...block.rows.map((row) => row.join(' | ')));
    else parts.push(...block.fields.map((field) => `${field.label}: ${field.value}`));
  }
  return parts.join('\n');
}
