/**
 * A fake Discord on 127.0.0.1 for end-to-end tests of the adapter through discord.js: the v10
 * REST routes the bot uses (under /api/v10) and a gateway websocket (see discord-gateway.ts).
 * It records every REST call (with its delay since the interaction was dispatched), keeps
 * the messages it was sent, enforces the 3-second first-answer deadline and the embed
 * limits like Discord, and injects failures on demand: status codes with Discord error
 * codes, 429s with the headers discord.js reads, connection resets, delays.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FakeGateway, type GatewayUser } from './discord-gateway.js';
import { commandData, DEFAULT_USER, interactionPayload, type FakeInteraction, type InteractionContext } from './discord-interactions.js';
import { failureResponse, readRequestBody, ruleMatches, type FailureRule, type FakeFailure, type RecordedCall } from './discord-http.js';
import { findPayloadProblem, type FakeMessage } from './discord-messages.js';
import { routeRequest } from './discord-routes.js';
import { DiscordRateLimiter, type DiscordRateLimitOptions } from './discord-rate-limits.js';

export type { FakeInteraction, InteractionContext } from './discord-interactions.js';
export type { FakeFailure, RecordedCall } from './discord-http.js';

export interface FakeDiscordOptions {
  heartbeatIntervalMs?: number;
  /** See FakeDiscord.memberPermissions. */
  memberPermissions?: string;
  /** Enforce Discord's REST limits (true: 50/s per bot, 5 per 5 s per channel); off by default. */
  rateLimits?: boolean | DiscordRateLimitOptions;
  /** Round-trip time added to every REST call (default 0): half before it is recorded and counted, half before the answer. */
  latencyMs?: number;
}

export { ANSWER_DEADLINE_MS } from './discord-routes.js';
const API_PREFIX = '/api/v10';
const DISCORD_EPOCH = 1_420_070_400_000n;

export class FakeDiscord {
  readonly token = 'fake-bot-token';
  readonly applicationId = '100000000000000001';
  readonly guildId = '300000000000000001';
  readonly channelId = '400000000000000001';
  readonly botUser: GatewayUser = { id: this.applicationId, username: 'basisbot', discriminator: '0', global_name: null, avatar: null, bot: true };
  readonly calls: RecordedCall[] = [];
  readonly messages = new Map<string, FakeMessage>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly registered: { global?: any[]; guilds: Map<string, any[]> } = { guilds: new Map() };
  readonly gateway: FakeGateway;
  private readonly server = http.createServer((req, res) => void this.onRequest(req, res));
  private readonly sockets = new Set<Socket>();
  private readonly rules: FailureRule[] = [];
  /** Users whose DMs are closed, and each user's DM channel: state the routes read (discord-routes.ts). */
  readonly closedDms = new Set<string>();
  readonly dmChannels = new Map<string, string>();
  private counter = 0;
  port = 0;
  /** Guild members' permission bitfield when an interaction names none: '0', an ordinary member. */
  memberPermissions: string;
  private readonly limiter: DiscordRateLimiter | undefined;
  private readonly latencyMs: number;

  constructor(options: FakeDiscordOptions = {}) {
    this.memberPermissions = options.memberPermissions ?? '0';
    this.limiter = options.rateLimits ? new DiscordRateLimiter(options.rateLimits === true ? {} : options.rateLimits) : undefined;
    this.latencyMs = options.latencyMs ?? 0;
    this.gateway = new FakeGateway({
      token: this.token,
      user: this.botUser,
      applicationId: this.applicationId,
      url: () => this.wsUrl,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('upgrade', (req, socket, head) => this.gateway.handleUpgrade(req, socket, head));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** Pass as the adapter's `apiBase` (discord.js appends /v10). */
  get apiBase(): string {
    return `${this.url}/api`;
  }
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    await this.gateway.close();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  snowflake(): string {
    this.counter += 1;
    return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | BigInt(this.counter % 4096)).toString();
  }

  // ---- failure injection ----------------------------------------------------------------

  /** The next `times` requests matching method and path (substring or RegExp) fail this way. */
  fail(method: string | undefined, path: string | RegExp, failure: FakeFailure, times = 1): void {
    this.rules.push({ method, path, remaining: times, failure });
  }

  clearFailures(): void {
    this.rules.length = 0;
  }

  /** Messages to this user's DM channel fail with 50007, as when they block DMs from servers. */
  closeDms(userId: string): void {
    this.closedDms.add(userId);
  }

  // ---- interactions ---------------------------------------------------------------------

  private commandSchema(name: string, guildId: string | null): any {
    const lists = [guildId ? this.registered.guilds.get(guildId) : undefined, this.registered.global];
    const command = lists.flatMap((list) => list ?? []).find((candidate) => candidate.name === name);
    if (!command) throw new Error(`fake discord: /${name} is not registered`);
    return command;
  }

  private guildOf(context: InteractionContext): string | null {
    return context.guildId === undefined ? this.guildId : context.guildId;
  }

  private dispatchInteraction(type: number, data: unknown, context: InteractionContext, extra: object = {}): FakeInteraction {
    const id = this.snowflake();
    const token = `itoken-${id}-${Math.random().toString(36).slice(2)}`;
    const user = { ...DEFAULT_USER, ...context.user };
    const guildId = this.guildOf(context);
    const channelId = context.channelId ?? (guildId ? this.channelId : `dm-${user.id}`);
    const record: FakeInteraction = { id, token, type, dispatchedAt: Date.now(), callbacks: [] };
    this.interactions.set(id, record);
    const permissions = context.permissions ?? this.memberPermissions;
    this.gateway.dispatch('INTERACTION_CREATE', interactionPayload({ id, token, applicationId: this.applicationId, type, data, guildId, channelId, user, permissions, extra }));
    return record;
  }

  /** A slash command, `/basis asset:BTC`; `subcommand` for `/alert add ...`. */
  command(name: string, args: Record<string, unknown> = {}, context: InteractionContext & { subcommand?: string } = {}): FakeInteraction {
    const guildId = this.guildOf(context);
    return this.dispatchInteraction(2, commandData(this.commandSchema(name, guildId), args, guildId, context.subcommand), context);
  }

  /** An autocomplete request while the user types `focused`. */
  autocomplete(name: string, args: Record<string, unknown>, focused: string, context: InteractionContext & { subcommand?: string } = {}): FakeInteraction {
    const guildId = this.guildOf(context);
    return this.dispatchInteraction(4, commandData(this.commandSchema(name, guildId), args, guildId, context.subcommand, focused), context);
  }

  /** A click on a button of a message the bot sent. */
  click(messageId: string, customId: string, context: InteractionContext = {}): FakeInteraction {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`fake discord: no message ${messageId}`);
    const record = this.dispatchInteraction(3, { custom_id: customId, component_type: 2 }, context, { message });
    record.componentMessageId = messageId;
    return record;
  }

  /** The message an interaction's answer lives in (after defer + edit, the edited one). */
  originalMessage(interaction: FakeInteraction): FakeMessage | undefined {
    const id = this.interactions.get(interaction.id)?.originalMessageId;
    return id ? this.messages.get(id) : undefined;
  }

  callsFor(interaction: FakeInteraction): RecordedCall[] {
    return this.calls.filter((call) => call.interactionId === interaction.id);
  }

  /** Resolves with the first recorded call (past or future) that matches. */
  async waitForCall(match: (call: RecordedCall) => boolean, timeoutMs = 10_000): Promise<RecordedCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`fake discord: no matching call within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  // ---- HTTP ------------------------------------------------------------------------------

  private interactionForToken(token: string | undefined): FakeInteraction | undefined {
    return [...this.interactions.values()].find((interaction) => interaction.token === token);
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const inboundMs = Math.floor(this.latencyMs / 2);
    if (inboundMs > 0) await new Promise((resolve) => setTimeout(resolve, inboundMs));
    const url = new URL(req.url ?? '/', this.url);
    const path = decodeURIComponent(url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname);
    const method = req.method ?? 'GET';
    const { body, files } = await readRequestBody(req);
    const parts = path.split('/');
    const interaction =
      parts[1] === 'interactions' ? this.interactions.get(parts[2]) : parts[1] === 'webhooks' ? this.interactionForToken(parts[3]) : undefined;
    const call: RecordedCall = {
      method, path, query: Object.fromEntries(url.searchParams), status: 0, body, files, at: Date.now(),
      ...(interaction ? { interactionId: interaction.id, sinceDispatchMs: Date.now() - interaction.dispatchedAt } : {}),
    };
    this.calls.push(call);
    let limitHeaders: Record<string, string> = {};
    const reply = (status: number, payload?: unknown, headers: Record<string, string> = {}): void => {
      call.status = status;
      // Like Discord, a 204 carries no body and no content type (discord.js would try to parse it).
      const write = () => {
        res.writeHead(status, { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...limitHeaders, ...headers });
        res.end(payload === undefined ? undefined : JSON.stringify(payload));
      };
      if (this.latencyMs - inboundMs > 0) setTimeout(write, this.latencyMs - inboundMs);
      else write();
    };

    const rule = this.rules.find((candidate) => ruleMatches(candidate, method, path));
    if (rule) {
      rule.remaining -= 1;
      const failure = rule.failure;
      if (failure.kind === 'reset') {
        call.status = -1;
        req.socket.destroy();
        return;
      }
      // Left unanswered; close() destroys the socket.
      if (failure.kind === 'hang') return;
      if (failure.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, failure.ms));
      if (failure.kind === 'status' || failure.kind === 'rate-limit') {
        const response = failureResponse(failure);
        return reply(response.status, response.body, response.headers);
      }
    }

    const limit = this.limiter?.check(method, path);
    if (limit?.limited) return reply(429, limit.body, limit.headers);
    limitHeaders = limit?.headers ?? {};
    const needsAuth = parts[1] !== 'interactions' && parts[1] !== 'webhooks';
    if (needsAuth && req.headers.authorization !== `Bot ${this.token}`) return reply(401, { code: 0, message: '401: Unauthorized' });
    const problem = ['POST', 'PATCH'].includes(method) ? findPayloadProblem(body?.data ?? body) : undefined;
    if (problem) return reply(400, { code: 50035, message: 'Invalid Form Body', errors: problem });
    routeRequest(this, method, parts, body, files, interaction, reply);
  }
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return new FakeDiscord(options).listen();
}
