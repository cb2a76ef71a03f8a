/**
 * Remembers how many parts of a multi-message push reached a chat before a failure (a 429
 * on the second of three messages, say). When the outbox retries the same reply, delivery
 * resumes after those parts instead of sending the chat the first message twice.
 * Keyed by target and content, so a retry works even if the outbox rebuilt the Reply object.
 */
import { createHash } from 'node:crypto';
import { targetKey, type Target } from '../../core/adapter.js';
import type { TelegramRendering } from './render.js';

const REMEMBER_FOR_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 10_000;

export class PartialDeliveries {
  private readonly entries = new Map<string, { delivered: number; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  keyOf(target: Target, rendering: TelegramRendering): string {
    const hash = createHash('sha256');
    if (rendering.photo) hash.update(rendering.photo.png).update(rendering.photo.caption);
    for (const message of rendering.messages) hash.update('\u0000').update(message);
    return `${targetKey(target)}:${hash.digest('hex')}`;
  }

  /** Parts already delivered for this key (0 when unknown or expired). */
  delivered(key: string): number {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= this.now()) return 0;
    return entry.delivered;
  }

  remember(key: string, delivered: number): void {
    this.prune();
    this.entries.set(key, { delivered, expiresAt: this.now() + REMEMBER_FOR_MS });
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  private prune(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    // Maps iterate in insertion order: drop the oldest when something floods us.
    while (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }
}
