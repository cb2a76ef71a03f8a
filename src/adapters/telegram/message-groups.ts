/**
 * Which messages make up one multi-message reply. The Refresh button sits on the last part
 * and a button press only names that message; to refresh a two-message /basis in place, the
 * adapter has to remember the ids of the parts before it. Kept in memory and bounded: after
 * a restart, or for an old reply, Refresh falls back to sending a new reply.
 */
const MAX_GROUPS = 5_000;

export class MessageGroups {
  private readonly groups = new Map<string, number[]>();

  /** Records the parts of a reply, keyed by the part carrying the buttons (the last). */
  remember(chatId: string, messageIds: number[]): void {
    if (messageIds.length < 2) return;
    const key = `${chatId}:${messageIds[messageIds.length - 1]}`;
    this.groups.delete(key);
    this.groups.set(key, messageIds);
    // Maps iterate in insertion order: the first entry is the least recently written.
    while (this.groups.size > MAX_GROUPS) this.groups.delete(this.groups.keys().next().value!);
  }

  /** The parts of the reply whose last part is `messageId`; just that message if unknown. */
  partsEndingAt(chatId: string, messageId: number): number[] {
    return this.groups.get(`${chatId}:${messageId}`) ?? [messageId];
  }

  forget(chatId: string, messageId: number): void {
    this.groups.delete(`${chatId}:${messageId}`);
  }
}
