import type { SendOutcome, Target } from '../../src/core/adapter.js';
import type { Reply } from '../../src/core/reply.js';
import type { KeyValueStore } from '../../src/store/index.js';

export interface SendRecord {
  chatId: string;
  text: string;
  startedAt: number;
  image?: Buffer;
}

/**
 * An in-memory sender: records each call with the time it started, answers after `latencyMs`
 * with whatever `decide` says (default 'sent'). The subject of these tests is the outbox.
 */
export function fakeSender(options: { latencyMs?: number; decide?: (record: SendRecord, attempt: number) => SendOutcome | Error } = {}) {
  const calls: SendRecord[] = [];
  const delivered: SendRecord[] = [];
  const attempts = new Map<string, number>();
  return {
    calls,
    delivered,
    async send(target: Target, reply: Reply): Promise<SendOutcome> {
      const first = reply.blocks[0];
      const text = first && first.kind === 'text' ? first.text : '';
      const record: SendRecord = { chatId: target.chatId, text, startedAt: Date.now(), image: reply.image?.png };
      calls.push(record);
      const attempt = (attempts.get(text) ?? 0) + 1;
      attempts.set(text, attempt);
      if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      const outcome = options.decide?.(record, attempt) ?? { status: 'sent' };
      if (outcome instanceof Error) throw outcome;
      if (outcome.status === 'sent') delivered.push(record);
      return outcome;
    },
  };
}

export const textReply = (text: string): Reply => ({ blocks: [{ kind: 'text', text }] });

export const silentLog = () => {
  const warnings: string[] = [];
  return {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (_object: unknown, message?: string) => {
      warnings.push(message ?? '');
    },
  };
};

/** A store that only lives in memory (the SQLite round trip has its own test). */
export function memoryStore<T>() {
  const map = new Map<string, T>();
  return {
    map,
    get: async (key: string) => map.get(key),
    set: async (key: string, value: T) => {
      map.set(key, structuredClone(value));
    },
    delete: async (key: string) => map.delete(key),
    entries: async function* () {
      yield* [...map.entries()];
    },
  };
}

/** The largest number of starts inside any span of `windowMs`. */
export function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to++) {
    while (sorted[to]! - sorted[from]! >= windowMs) from++;
    best = Math.max(best, to - from + 1);
  }
  return best;
}

/**
 * A store wrapper that can "die" like a killed process: after kill() no write lands and none
 * ever settles, while the wrapped store keeps what had landed for the next run to read.
 */
export function killableStore<T>(inner: KeyValueStore<T>) {
  let dead = false;
  const never = new Promise<never>(() => undefined);
  return {
    kill: () => {
      dead = true;
    },
    get: (key: string) => (dead ? never : inner.get(key)),
    set: (key: string, value: T) => (dead ? never : inner.set(key, value)),
    delete: (key: string) => (dead ? never : inner.delete(key)),
    entries: () => inner.entries(),
  };
}

/** A sender that can die with its process: after kill() a send never answers and nothing more arrives. */
export function killableSender(options: Parameters<typeof fakeSender>[0] = {}) {
  const sender = fakeSender(options);
  let dead = false;
  return {
    ...sender,
    kill: () => {
      dead = true;
    },
    send: (target: Target, reply: Reply): Promise<SendOutcome> => (dead ? new Promise<never>(() => undefined) : sender.send(target, reply)),
  };
}
