import type { Target } from '../core/adapter.js';
import type { Reply, ReplyImage } from '../core/reply.js';

/** Who asked for a message (e.g. `alerts`, `digests`), for logs and the unreachable callback. */
export interface MessageMeta {
  owner?: string;
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
  const { image, ...rest } = message.reply;
  const reply: QueuedMessage['reply'] = image
    ? { ...rest, image: { name: image.name, alt: image.alt, pngBase64: image.png.toString('base64') } }
    : rest;
  return { target: message.target, reply, meta: message.meta, attempts: message.attempts, enqueuedAt: message.enqueuedAt };
}

export function fromQueued(queued: QueuedMessage, cost: (reply: Reply) => number): PendingMessage {
  const { image, ...rest } = queued.reply;
  const reply: Reply = image
    ? { ...rest, image: { name: image.name, alt: image.alt, png: Buffer.from(image.pngBase64, 'base64') } }
    : rest;
  return { target: queued.target, reply, meta: queued.meta ?? {}, attempts: queued.attempts ?? 0, enqueuedAt: queued.enqueuedAt, cost: cost(reply) };
}
