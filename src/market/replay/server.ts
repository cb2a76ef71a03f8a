import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { VenueId } from '../types.js';
import type { FaultTable, VenueFault } from './faults.js';
import { ENCODERS } from './encoders/index.js';
import { parseShift, ShiftTable, type ReplayShift } from './shift.js';
import { loadBundledUniverse } from './universe-builder.js';
import type { ReplayRequest, ReplayResponse, ReplayUniverse, VenueEncoder } from './universe.js';

export interface ReplayServerOptions {
  port?: number;
  /** The clock the replay is consistent with; the bot must use the same one. */
  clock?: () => number;
  /** Override the market (tests build small universes); defaults to the bundled snapshot. */
  universe?: (now: number) => ReplayUniverse;
  faults?: FaultTable;
}

export interface ReplayStats {
  total: number;
  byVenue: Partial<Record<VenueId, number>>;
  byPath: Record<string, number>;
}

export interface ReplayServer {
  /** Base URL to pass as VENUE_BASE_URL. */
  url: string;
  port: number;
  setFault(venue: VenueId, fault: VenueFault | null): void;
  clearFaults(): void;
  stats(): ReplayStats;
  resetStats(): void;
  /** Moves an asset's futures premium and/or funding (see shift.ts); also POST /__replay/shift. */
  shift(shift: ReplayShift): void;
  /** Back to the unshifted market; also DELETE /__replay/shift. */
  resetShifts(): void;
  close(): Promise<void>;
}

const HTML_PAGE = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';

function encoderForHost(host: string): VenueEncoder | undefined {
  return ENCODERS.find((encoder) => encoder.hosts.includes(host));
}

/** Splits `/<host>/<path>` (the VENUE_BASE_URL shape) into its parts. */
export function parseReplayUrl(rawUrl: string): ReplayRequest | undefined {
  const url = new URL(rawUrl, 'http://replay.local');
  const [, host, ...rest] = url.pathname.split('/');
  if (!host) return undefined;
  return { host, path: '/' + rest.join('/'), query: url.searchParams };
}

function ageUniverse(universe: ReplayUniverse, ageMs: number): ReplayUniverse {
  return {
    asOf: universe.asOf,
    instruments: universe.instruments.map((instrument) => ({ ...instrument, timestamp: instrument.timestamp - ageMs })),
  };
}

/**
 * Serves the bundled market replay over HTTP in each venue's own wire format, at
 * `<url>/<original-host><original-path>?<query>`, with per-venue fault injection
 * (also reachable over HTTP at /__replay/faults for a server run from the CLI) and
 * request counters for benchmarks.
 */
export async function startReplayServer(options: ReplayServerOptions = {}): Promise<ReplayServer> {
  const clock = options.clock ?? Date.now;
  const buildUniverse = options.universe ?? loadBundledUniverse();
  const faults: FaultTable = { ...(options.faults ?? {}) };
  let stats: ReplayStats = { total: 0, byVenue: {}, byPath: {} };
  const sockets = new Set<Socket>();
  const shifts = new ShiftTable();
  // The universe only changes with the clock; rebuilding it for each of a burst of requests is waste.
  let cached: { second: number; universe: ReplayUniverse } | undefined;
  const universeNow = (): ReplayUniverse => {
    const now = clock();
    const second = Math.floor(now / 1000);
    if (!cached || cached.second !== second) cached = { second, universe: shifts.apply(buildUniverse(now)) };
    return cached.universe;
  };
  const changeShifts = (change: () => void): void => {
    change();
    cached = undefined;
  };

  const send = (res: http.ServerResponse, response: ReplayResponse): void => {
    const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    res.writeHead(response.status, { 'content-type': 'application/json', ...(response.headers ?? {}) });
    res.end(body);
  };

  const control = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (req.url === '/__replay/stats') return send(res, { status: 200, body: stats });
    if (req.url === '/__replay/shift' && req.method === 'DELETE') {
      changeShifts(() => shifts.reset());
      return send(res, { status: 200, body: { shifts: [] } });
    }
    if (req.url === '/__replay/shift' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      } catch {
        return send(res, { status: 400, body: { error: 'body must be JSON' } });
      }
      const parsed = parseShift(body);
      if ('error' in parsed) return send(res, { status: 400, body: { error: parsed.error } });
      changeShifts(() => shifts.set(parsed.shift));
      return send(res, { status: 200, body: { shifts: shifts.list() } });
    }
    if (req.url === '/__replay/faults' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const { venue, fault } = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { venue: VenueId; fault: VenueFault | null };
      if (fault) faults[venue] = fault;
      else delete faults[venue];
      return send(res, { status: 200, body: { faults } });
    }
    send(res, { status: 404, body: { error: 'unknown control route' } });
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (req.url?.startsWith('/__replay/')) return control(req, res);
    const request = parseReplayUrl(req.url ?? '/');
    const encoder = request && encoderForHost(request.host);
    if (!request || !encoder) return send(res, { status: 404, body: { error: `no venue serves ${req.url}` } });
    stats.total += 1;
    stats.byVenue[encoder.venue] = (stats.byVenue[encoder.venue] ?? 0) + 1;
    const pathKey = `${request.host}${request.path}`;
    stats.byPath[pathKey] = (stats.byPath[pathKey] ?? 0) + 1;

    const fault = faults[encoder.venue];
    if (fault?.kind === 'hang') return; // the socket stays open until the client gives up or we close
    if (fault?.kind === 'down') return send(res, { status: 503, body: 'Service Unavailable' });
    if (fault?.kind === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end(HTML_PAGE);
    }
    if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    const universe = fault?.kind === 'stale' ? ageUniverse(universeNow(), fault.ageMs) : universeNow();
    const response = encoder.handle(request, universe) ?? { status: 404, body: { error: `unknown route ${pathKey}` } };
    if (fault?.kind === 'malformed') {
      const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
      return send(res, { status: 200, body: body.slice(0, Math.max(1, Math.floor(body.length / 2))) });
    }
    send(res, response);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { error: String(error) } });
    });
  });
  // Venues keep idle connections open for a minute or more; Node's 5 s default closed them
  // under a client whose event loop was busy (a bench's million-rule tick), and the client's
  // next request on the dead socket failed with ECONNRESET on every venue at once.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setFault: (venue, fault) => {
      if (fault) faults[venue] = fault;
      else delete faults[venue];
    },
    clearFaults: () => {
      for (const venue of Object.keys(faults)) delete faults[venue as VenueId];
    },
    stats: () => structuredClone(stats),
    resetStats: () => {
      stats = { total: 0, byVenue: {}, byPath: {} };
    },
    shift: (shift) => {
      const parsed = parseShift(shift);
      if ('error' in parsed) throw new RangeError(`replay shift: ${parsed.error}`);
      changeShifts(() => shifts.set(parsed.shift));
    },
    resetShifts: () => changeShifts(() => shifts.reset()),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
