import type { Target } from '../core/adapter.js';
import type { Reply, ReplyImage } from '../core/reply.js';

/** Who owns a message (`alerts`, `digests`) and its id within that owner: see PushMeta. */
export interface MessageMeta {
  owner?: string;
  id?: string;
}

/** A message waiting in memory: the reply as the adapter wants it. */
export interface PendingMessage {
  target: Target;
  reply: Reply;
  meta: MessageMeta;
  /** Sends tried so far, counting rate-limited ones. */
  attempts: number;
  enqueuedAt: number;
  /** Platform messages this reply becomes (a chart and a long text are several); not stored. */
  cost: number;
  /** The reply in its stored form, built once: the queue is rewritten on every change. */
  stored?: QueuedMessage['reply'];
}

/** The stored form: JSON only, so the chart PNG travels as base64. */
export interface QueuedMessage {
  target: Target;
  reply: Omit<Reply, 'image'> & { image?: Omit<ReplyImage, 'png'> & { pngBase64: string } };
  meta: MessageMeta;
  attempts: number;
  enqueuedAt: number;
}

export function toQueued(message: PendingMessage): QueuedMessage {
  message.stored ??= storedReply(message.reply);
  return { target: message.target, reply: message.stored, meta: message.meta, attempts: message.attempts, enqueuedAt: message.enqueuedAt };
}

function storedReply(reply: Reply): QueuedMessage['reply'] {
  const { image, ...rest } = reply;
  return image ? { ...rest, image: { name: image.name, alt: image.alt, pngBase64: image.png.toString('base64') } } : rest;
}

/** The key a message id is unique under: per target and owner, so two owners (or two chats) never collide. */
export function idKey(targetKey: string, meta: MessageMeta): string | undefined {
  return meta.id === undefined ? undefined : `${targetKey}\u0000${meta.owner ?? ''}\u0000${meta.id}`;
}

export function fromQueued(queued: QueuedMessage, cost: (reply: Reply) => number): PendingMessage {
  const { image, ...rest } = queued.reply;
  const reply: Reply = image
    ? { ...rest, image: { name: image.name, alt: image.alt, png: Buffer.from(image.pngBase64, 'base64') } }
    : rest;
  return {
    target: queued.target,
    reply,
    meta: queued.meta ?? {},
    attempts: queued.attempts ?? 0,
    enqueuedAt: queued.enqueuedAt,
    cost: cost(reply),
    stored: queued.reply,
  };
}
