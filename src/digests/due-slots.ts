/**
 * Which chats have a slot due at an instant: grouped by schedule (zone and expression), so each
 * group asks the cron matcher once however many chats share it.
 */
import { latestSlotIn } from './cron-time.js';
import type { DigestRecord } from './types.js';

/** `handled(record)`: the last instant the chat's digest was dealt with (sent, skipped, or set). */
export function dueSlots(records: Iterable<DigestRecord>, handled: (record: DigestRecord) => number, at: number): { record: DigestRecord; slot: number }[] {
  const groups = new Map<string, DigestRecord[]>();
  for (const record of records) {
    if (record.paused) continue;
    const key = `${record.timezone}\u0000${record.expression}`;
    const group = groups.get(key);
    if (group) group.push(record);
    else groups.set(key, [record]);
  }
  const due: { record: DigestRecord; slot: number }[] = [];
  for (const group of groups.values()) {
    const after = group.reduce((earliest, record) => Math.min(earliest, handled(record)), Infinity);
    const slot = latestSlotIn(group[0].expression, group[0].timezone, after, at);
    if (slot === undefined) continue;
    for (const record of group) if (handled(record) < slot) due.push({ record, slot });
  }
  return due;
}
