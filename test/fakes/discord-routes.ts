/**
 * The fake Discord's REST routes: command registration, interaction callbacks and webhooks,
 * DM channels and channel messages, answered like Discord's v10 API. The server
 * (discord-server.ts) handles transport, failures and rate limits, then hands over here.
 */
import { findCommandsProblem } from './discord-commands.js';
import type { FakeInteraction } from './discord-interactions.js';
import { DEFAULT_USER } from './discord-interactions.js';
import { applyEdit, attachmentsFrom, MESSAGE_FLAG, type FakeMessage, type RecordedFile } from './discord-messages.js';
import type { FakeDiscord } from './discord-server.js';

type Reply = (status: number, payload?: unknown) => void;

export const ANSWER_DEADLINE_MS = 3_000;
// Path segments that are route words; every other segment is an id or token.
const ROUTE_WORDS = new Set(['gateway', 'bot', 'users', '@me', 'applications', 'commands', 'guilds', 'interactions', 'callback', 'webhooks', 'messages', '@original', 'channels']);

export function routeRequest(fake: FakeDiscord, method: string, parts: string[], body: any, files: RecordedFile[], interaction: FakeInteraction | undefined, reply: Reply): void {
  const route = `${method} /${parts.slice(1).map((part) => (ROUTE_WORDS.has(part) ? part : ':')).join('/')}`;
  switch (route) {
    case 'GET /gateway/bot':
      return reply(200, { url: fake.wsUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } });
    case 'GET /gateway':
      return reply(200, { url: fake.wsUrl });
    case 'GET /users/@me':
      return reply(200, fake.botUser);
    case 'PUT /applications/:/commands':
    case 'PUT /applications/:/guilds/:/commands': {
      const problem = findCommandsProblem(body);
      if (problem) return reply(400, { code: 50035, message: 'Invalid Form Body', errors: problem });
      const stored = (body as any[]).map((command) => ({ ...command, id: fake.snowflake(), application_id: parts[2], version: fake.snowflake() }));
      if (parts[3] === 'guilds') fake.registered.guilds.set(parts[4], stored);
      else fake.registered.global = stored;
      return reply(200, stored);
    }
    case 'POST /interactions/:/:/callback':
      return callback(fake, interaction, body, files, reply);
    case 'PATCH /webhooks/:/:/messages/@original':
    case 'GET /webhooks/:/:/messages/@original':
    case 'DELETE /webhooks/:/:/messages/@original': {
      const message = interaction?.originalMessageId ? fake.messages.get(interaction.originalMessageId) : undefined;
      if (!message) return reply(404, { code: 10008, message: 'Unknown Message' });
      if (method === 'DELETE') {
        fake.messages.delete(message.id);
        return reply(204);
      }
      if (method === 'PATCH') applyEdit(message, body, files, fake.url);
      return reply(200, message);
    }
    case 'POST /webhooks/:/:': {
      if (!interaction || interaction.callbacks.length === 0) return reply(404, { code: 10015, message: 'Unknown Webhook' });
      return reply(200, create(fake, body, files, { webhook: true }));
    }
    case 'POST /users/@me/channels': {
      const userId = String(body?.recipient_id);
      const channelId = fake.dmChannels.get(userId) ?? fake.snowflake();
      fake.dmChannels.set(userId, channelId);
      return reply(200, { id: channelId, type: 1, recipients: [{ ...DEFAULT_USER, id: userId }] });
    }
    case 'POST /channels/:/messages': {
      const channelId = parts[2];
      const dmUser = [...fake.dmChannels.entries()].find(([, id]) => id === channelId)?.[0];
      if (dmUser && fake.closedDms.has(dmUser)) return reply(403, { code: 50007, message: 'Cannot send messages to this user' });
      return reply(200, create(fake, body, files, { channelId, webhook: false }));
    }
    default:
      return reply(404, { code: 0, message: `404: Not Found (fake has no ${route})` });
  }
}

function callback(fake: FakeDiscord, interaction: FakeInteraction | undefined, body: any, files: RecordedFile[], reply: Reply): void {
  if (!interaction || Date.now() - interaction.dispatchedAt > ANSWER_DEADLINE_MS) {
    return reply(404, { code: 10062, message: 'Unknown interaction' });
  }
  if (interaction.callbacks.length > 0) return reply(400, { code: 40060, message: 'Interaction has already been acknowledged.' });
  const type = Number(body?.type);
  const allowed: Record<number, number[]> = { 2: [4, 5, 9], 3: [4, 5, 6, 7, 9], 4: [8] };
  if (!allowed[interaction.type]?.includes(type)) return reply(400, { code: 50035, message: `callback type ${type} not allowed here` });
  interaction.callbacks.push(type);
  const data = body.data ?? {};
  if (type === 4) interaction.originalMessageId = create(fake, data, files, { webhook: true }).id;
  if (type === 5) interaction.originalMessageId = create(fake, { flags: (data.flags ?? 0) | MESSAGE_FLAG.Loading }, [], { webhook: true }).id;
  if (type === 6 || type === 7) interaction.originalMessageId = interaction.componentMessageId;
  if (type === 7) applyEdit(fake.messages.get(interaction.componentMessageId!)!, data, files, fake.url);
  if (type === 8) interaction.choices = data.choices ?? [];
  return reply(204);
}

/** Stores a new message: an interaction's (sent through its webhook) or a channel message. */
function create(fake: FakeDiscord, body: any, files: RecordedFile[], where: { channelId?: string; webhook: boolean }): FakeMessage {
  const channelId = where.channelId ?? fake.channelId;
  const message: FakeMessage = {
    id: fake.snowflake(), channel_id: channelId, type: 0, content: body?.content ?? '', author: fake.botUser,
    embeds: body?.embeds ?? [], components: body?.components ?? [], attachments: attachmentsFrom(body, files, fake.url),
    flags: body?.flags ?? 0, timestamp: new Date().toISOString(), edited_timestamp: null, tts: false,
    mention_everyone: false, mentions: [], mention_roles: [], pinned: false, application_id: fake.applicationId,
    webhook_id: where.webhook ? fake.applicationId : undefined,
  };
  fake.messages.set(message.id, message);
  return message;
}
