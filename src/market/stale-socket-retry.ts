import ccxt, { type Exchange } from 'ccxt';

type Fetch = (url: string, method?: string, headers?: unknown, body?: unknown) => Promise<unknown>;

/** How a request on a keep-alive socket the venue had already closed fails. */
const STALE_SOCKET = /ECONNRESET|socket hang up|other side closed|EPIPE/i;

export function isStaleSocketError(error: unknown): boolean {
  return error instanceof ccxt.NetworkError && STALE_SOCKET.test(error.message);
}

/**
 * Retries a GET once when it died on a stale keep-alive socket. A venue closes idle
 * connections on its own schedule; a bot whose event loop was busy (a large alert tick) only
 * learns of the close when it writes the next request, and then every venue fails at once
 * with ECONNRESET although each would answer a fresh connection. GETs are idempotent, so one
 * retry on a new socket is safe; a second failure is a real outage and is reported as such.
 * observeRequests wraps this, so metrics see one request with its final outcome.
 */
export function retryStaleSockets(exchange: Exchange): void {
  const target = exchange as unknown as { fetch: Fetch };
  const send = target.fetch.bind(exchange);
  target.fetch = async (url, method = 'GET', headers, body) => {
    try {
      return await send(url, method, headers, body);
    } catch (error) {
      if (method.toUpperCase() !== 'GET' || !isStaleSocketError(error)) throw error;
      return send(url, method, headers, body);
    }
  };
}
