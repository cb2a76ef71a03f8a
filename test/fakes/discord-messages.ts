/**
 * Message payload rules the fake Discord enforces the way Discord does (a 400 with code
 * 50035 "Invalid Form Body"), so a renderer that breaks a limit fails its tests instead of
 * failing in production. Also builds the message objects the fake returns.
 */

export interface RecordedFile {
  field: string;
  name: string;
  contentType: string;
  size: number;
  data: Buffer;
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  type: number;
  content: string;
  author: unknown;
  embeds: any[];
  components: any[];
  attachments: { id: string; filename: string; size: number; url: string; content_type: string; description?: string }[];
  flags: number;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: unknown[];
  mention_roles: unknown[];
  pinned: boolean;
  application_id?: string;
  webhook_id?: string;
}

export const MESSAGE_FLAG = { Ephemeral: 64, Loading: 128 } as const;

function embedLength(embed: any): number {
  const fields: any[] = embed.fields ?? [];
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    fields.reduce((sum, field) => sum + (field.name?.length ?? 0) + (field.value?.length ?? 0), 0) +
    (embed.footer?.text?.length ?? 0) +
    (embed.author?.name?.length ?? 0)
  );
}

/** The first rule a payload breaks, in Discord's words, or undefined when it is acceptable. */
export function findPayloadProblem(body: any): string | undefined {
  const embeds: any[] = body?.embeds ?? [];
  if (embeds.length > 10) return 'embeds: Must be 10 or fewer in length.';
  let total = 0;
  for (const [index, embed] of embeds.entries()) {
    if ((embed.title?.length ?? 0) > 256) return `embeds.${index}.title: Must be 256 or fewer in length.`;
    if ((embed.description?.length ?? 0) > 4096) return `embeds.${index}.description: Must be 4096 or fewer in length.`;
    const fields: any[] = embed.fields ?? [];
    if (fields.length > 25) return `embeds.${index}.fields: Must be 25 or fewer in length.`;
    for (const [f, field] of fields.entries()) {
      if (!field.name || field.name.length > 256) return `embeds.${index}.fields.${f}.name: Must be between 1 and 256 in length.`;
      if (!field.value || field.value.length > 1024) return `embeds.${index}.fields.${f}.value: Must be between 1 and 1024 in length.`;
    }
    if (embedLength(embed) === 0 && !embed.image) return `embeds.${index}: Embed is empty.`;
    total += embedLength(embed);
  }
  if (total > 6000) return 'embeds: Embed size exceeds maximum size of 6000';
  const rows: any[] = body?.components ?? [];
  if (rows.length > 5) return 'components: Must be 5 or fewer in length.';
  const customIds = new Set<string>();
  for (const row of rows) {
    for (const component of row.components ?? []) {
      if (component.custom_id !== undefined && (component.custom_id.length < 1 || component.custom_id.length > 100)) {
        return 'components.custom_id: Must be between 1 and 100 in length.';
      }
      if (component.custom_id !== undefined && customIds.has(component.custom_id)) return 'components.custom_id: Component custom id cannot be duplicated';
      customIds.add(component.custom_id);
      if (component.label !== undefined && component.label.length > 80) return 'components.label: Must be 80 or fewer in length.';
    }
  }
  return undefined;
}

/** Attachments as Discord lists them: the payload's `attachments` entries matched to uploaded files. */
export function attachmentsFrom(body: any, files: RecordedFile[], baseUrl: string): FakeMessage['attachments'] {
  const declared: any[] = body?.attachments ?? [];
  return files.map((file, index) => {
    const entry = declared.find((attachment) => String(attachment.id) === String(index));
    const filename = entry?.filename ?? file.name;
    return {
      id: `${9000 + index}`,
      filename,
      size: file.size,
      url: `${baseUrl}/attachments/${filename}`,
      content_type: file.contentType,
      ...(entry?.description ? { description: entry.description } : {}),
    };
  });
}

/** Applies a PATCH (or an update callback) the way Discord does: only the fields sent change. */
export function applyEdit(message: FakeMessage, body: any, files: RecordedFile[], baseUrl: string): void {
  if (body?.content !== undefined) message.content = body.content;
  if (body?.embeds !== undefined) message.embeds = body.embeds;
  if (body?.components !== undefined) message.components = body.components;
  if (body?.attachments !== undefined) message.attachments = attachmentsFrom(body, files, baseUrl);
  message.flags &= ~MESSAGE_FLAG.Loading;
  message.edited_timestamp = new Date().toISOString();
}
