/**
 * The gateway half of the fake Discord: a websocket speaking enough of the v10 protocol for
 * discord.js (HELLO, IDENTIFY -> READY, heartbeats, RESUME -> replayed events + RESUMED,
 * INVALID_SESSION) plus test levers to dispatch events and drop the connection.
 */
import { EventEmitter, once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

export interface GatewayUser {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: string | null;
  bot: boolean;
}

export interface FakeGatewayOptions {
  token: string;
  user: GatewayUser;
  applicationId: string;
  /** The ws:// URL clients resume at (this server). */
  url: () => string;
  heartbeatIntervalMs?: number;
}

export interface GatewayStats {
  connections: number;
  identifies: number;
  resumes: number;
  heartbeats: number;
  /** Sockets currently open and identified or resumed. */
  live: number;
}

interface Session {
  id: string;
  seq: number;
  events: { s: number; t: string; d: unknown }[];
  socket?: WebSocket;
}

type GatewayEvent = 'identify' | 'ready' | 'resumed' | 'heartbeat' | 'connection';

export class FakeGateway extends EventEmitter {
  private readonly server = new WebSocketServer({ noServer: true });
  private session: Session | undefined;
  private readonly sockets = new Set<WebSocket>();
  private rejectNextResume = false;
  private holdingReady = false;
  readonly stats: Omit<GatewayStats, 'live'> = { connections: 0, identifies: 0, resumes: 0, heartbeats: 0 };

  constructor(private readonly options: FakeGatewayOptions) {
    super();
    this.server.on('connection', (socket) => this.accept(socket));
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(request, socket, head, (ws) => this.server.emit('connection', ws, request));
  }

  private accept(socket: WebSocket): void {
    this.stats.connections += 1;
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (this.session?.socket === socket) this.session.socket = undefined;
    });
    socket.on('error', () => undefined);
    socket.on('message', (raw) => this.onMessage(socket, raw));
    this.send(socket, { op: 10, d: { heartbeat_interval: this.options.heartbeatIntervalMs ?? 41_250 } });
    this.emit('connection');
  }

  private send(socket: WebSocket, payload: unknown): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }

  private onMessage(socket: WebSocket, raw: RawData): void {
    let payload: { op: number; d: any };
    try {
      payload = JSON.parse(raw.toString());
    } catch {
      socket.close(4002, 'Error while decoding payload.');
      return;
    }
    switch (payload.op) {
      case 1:
        this.stats.heartbeats += 1;
        this.send(socket, { op: 11 });
        this.emit('heartbeat');
        return;
      case 2:
        return this.identify(socket, payload.d);
      case 6:
        return this.resume(socket, payload.d);
      default:
        return;
    }
  }

  private identify(socket: WebSocket, d: { token?: string }): void {
    this.stats.identifies += 1;
    this.emit('identify');
    if (d.token !== this.options.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    if (this.holdingReady) return;
    this.session = { id: `session-${Math.random().toString(36).slice(2)}`, seq: 0, events: [], socket };
    this.dispatchTo(this.session, 'READY', {
      v: 10,
      user: this.options.user,
      guilds: [],
      session_id: this.session.id,
      resume_gateway_url: this.options.url(),
      shard: [0, 1],
      application: { id: this.options.applicationId, flags: 0 },
    });
    this.emit('ready');
  }

  private resume(socket: WebSocket, d: { token?: string; session_id?: string; seq?: number }): void {
    this.stats.resumes += 1;
    const session = this.session;
    if (this.rejectNextResume || !session || d.session_id !== session.id || d.token !== this.options.token) {
      this.rejectNextResume = false;
      this.session = undefined;
      // d: false = "not resumable": the client must IDENTIFY afresh.
      this.send(socket, { op: 9, d: false });
      return;
    }
    session.socket = socket;
    for (const event of session.events) {
      if (event.s > (d.seq ?? 0)) this.send(socket, { op: 0, ...event });
    }
    this.dispatchTo(session, 'RESUMED', {});
    this.emit('resumed');
  }

  private dispatchTo(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const event = { s: session.seq, t, d };
    session.events.push(event);
    if (session.socket) this.send(session.socket, { op: 0, ...event });
  }

  /** Sends a dispatch event; while the socket is down it is kept and replayed on RESUME. */
  dispatch(t: string, d: unknown): void {
    if (!this.session) throw new Error('fake gateway: no session; has the client logged in?');
    this.dispatchTo(this.session, t, d);
  }

  /** Kills every socket without a close frame, as a network drop would. */
  drop(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  /** Closes every socket with a gateway close code (4000 unknown error, 4009 session timed out ...). */
  closeWith(code: number, reason = 'fake close'): void {
    for (const socket of this.sockets) socket.close(code, reason);
  }

  /** The next RESUME is refused with INVALID_SESSION, forcing a fresh IDENTIFY. */
  refuseNextResume(): void {
    this.rejectNextResume = true;
  }

  /** IDENTIFY goes unanswered from now on: the client waits for a READY that never comes. */
  holdReady(): void {
    this.holdingReady = true;
  }

  liveStats(): GatewayStats {
    return { ...this.stats, live: this.session?.socket?.readyState === WebSocket.OPEN ? 1 : 0 };
  }

  async waitFor(event: GatewayEvent, timeoutMs = 15_000): Promise<void> {
    await once(this, event, { signal: AbortSignal.timeout(timeoutMs) });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
