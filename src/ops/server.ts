/**
 * The operators' HTTP endpoint (HTTP_PORT; off when unset): what a container runtime, a
 * load balancer and Prometheus ask a running bot.
 *   GET /healthz  200 "ok" while the process can answer HTTP at all (liveness: restart me if not)
 *   GET /readyz   200 when every readiness check passes, else 503 with a JSON body naming them
 *   GET /metrics  Prometheus text exposition
 * It never touches chat traffic, so it has no auth: bind it where only the operator reaches it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.js';
import { checkReadiness, type ReadinessCheck } from './readiness.js';

export interface OpsServerOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Default: every interface, as a container's health probe and Prometheus come from outside. */
  host?: string;
  metrics?: Metrics;
  /** Named readiness checks (see readiness.ts); none means always ready. */
  checks?: Record<string, ReadinessCheck>;
  /** Per check, so a hung dependency fails the probe instead of hanging it. */
  checkTimeoutMs?: number;
  log?: { warn(obj: object, msg: string): void };
}

export interface OpsServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const checks = options.checks ?? {};
  let lastNotReady = '';

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://ops').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, TEXT, 'method not allowed\n');
    }
    switch (path) {
      case '/healthz':
        return send(res, 200, TEXT, 'ok\n');
      case '/readyz': {
        const report = await checkReadiness(checks, options.checkTimeoutMs);
        // Log a change of what is failing once, not every probe (probes come every few seconds).
        const summary = report.notReady.join(',');
        if (summary !== lastNotReady && summary) options.log?.warn({ checks: report.checks }, 'not ready');
        lastNotReady = summary;
        return send(res, report.ready ? 200 : 503, JSON_TYPE, `${JSON.stringify(report)}\n`);
      }
      case '/metrics':
        if (!options.metrics) return send(res, 404, TEXT, 'metrics are not enabled\n');
        return send(res, 200, options.metrics.contentType, await options.metrics.text());
      default:
        return send(res, 404, TEXT, 'not found: try /healthz, /readyz or /metrics\n');
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log?.warn({ err: error, url: req.url }, 'ops endpoint failed');
      if (!res.headersSent) send(res, 500, TEXT, 'internal error\n');
      else res.destroy();
    });
  });
  // Probes hold no long connections worth waiting for at shutdown.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';

  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
