/**
 * HTTP plumbing of the fake Discord: reading JSON or multipart bodies (payload_json plus
 * files[n], as discord.js uploads attachments) and the failures a test can inject.
 */
import type http from 'node:http';
import type { RecordedFile } from './discord-messages.js';

export type FakeFailure =
  | { kind: 'status'; status: number; code?: number; message?: string }
  | { kind: 'rate-limit'; retryAfterSec: number; global?: boolean }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  /** Never answers (the socket stays open until the fake closes), like an API that hangs. */
  | { kind: 'hang' };

/** One REST call the fake received, with how it answered (-1: connection reset, 0: no answer). */
export interface RecordedCall {
  method: string;
  /** Decoded path below /api/v10, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: Record<string, string>;
  status: number;
  body: any;
  files: RecordedFile[];
  at: number;
  interactionId?: string;
  /** Milliseconds between the interaction's dispatch and this call. */
  sinceDispatchMs?: number;
}

/** The next `remaining` requests matching method and path fail this way. */
export interface FailureRule {
  method?: string;
  path: string | RegExp;
  remaining: number;
  failure: FakeFailure;
}

export function ruleMatches(rule: FailureRule, method: string, path: string): boolean {
  if (rule.remaining <= 0 || (rule.method && rule.method !== method)) return false;
  return typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path);
}

export async function readRequestBody(req: http.IncomingMessage): Promise<{ body: any; files: RecordedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [] };
  if (!type.startsWith('multipart/form-data')) return { body: JSON.parse(raw.toString('utf8')), files: [] };
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  const files: RecordedFile[] = [];
  let body: any;
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') body = JSON.parse(value);
    } else {
      const data = Buffer.from(await value.arrayBuffer());
      files.push({ field, name: value.name, contentType: value.type, size: data.length, data });
    }
  }
  return { body, files };
}

/** Status, JSON body and headers of an injected HTTP failure (not `reset`, `delay` or `hang`). */
export function failureResponse(failure: Extract<FakeFailure, { kind: 'status' | 'rate-limit' }>): { status: number; body: unknown; headers: Record<string, string> } {
  if (failure.kind === 'status') {
    return { status: failure.status, body: { code: failure.code ?? 0, message: failure.message ?? `fake ${failure.status}` }, headers: {} };
  }
  // The headers discord.js reads to schedule its retry.
  const seconds = String(failure.retryAfterSec);
  return {
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: failure.retryAfterSec, global: failure.global ?? false },
    headers: {
      'retry-after': seconds,
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': seconds,
      'x-ratelimit-bucket': 'fakebucket',
      'x-ratelimit-scope': failure.global ? 'global' : 'user',
      ...(failure.global ? { 'x-ratelimit-global': 'true' } : {}),
    },
  };
}
