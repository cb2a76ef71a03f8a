/**
 * A venue that closed the keep-alive socket the bot was about to reuse: the request dies with
 * ECONNRESET although a fresh connection would be answered. Through the real ccxt exchange
 * (its own fetch and error mapping) against a server on 127.0.0.1 that resets on demand.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { createExchange } from '../../src/market/exchange-factory.js';

const ANSWER = { code: '0', msg: '', data: [{ ts: '1796190000000' }] }; // okx's public/time, as okx sends it

/** Answers okx's time, except that the first `resets` requests have their socket destroyed. */
async function resettingServer(resets: number) {
  let seen = 0;
  const server = http.createServer((req, res) => {
    seen += 1;
    if (seen <= resets) return req.socket.destroy();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ANSWER));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests: () => seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

const servers: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function exchangeAgainst(resets: number) {
  const server = await resettingServer(resets);
  servers.push(server);
  const exchange = createExchange('okx', { timeoutMs: 5_000, limiter: 'off' }) as unknown as { fetch: (url: string, method?: string) => Promise<unknown> };
  return { server, fetch: (method: string) => exchange.fetch(`${server.url}/api/v5/public/time`, method) };
}

describe('a GET on a socket the venue had closed', () => {
  it('is retried once on a new connection and answers', async () => {
    const { server, fetch } = await exchangeAgainst(1);
    await expect(fetch('GET')).resolves.toEqual(ANSWER);
    expect(server.requests()).toBe(2);
  });

  it('fails as a network error when the fresh connection is reset too: no retry loop', async () => {
    const { server, fetch } = await exchangeAgainst(5);
    await expect(fetch('GET')).rejects.toBeInstanceOf(ccxt.NetworkError);
    expect(server.requests()).toBe(2);
  });

  it('never repeats a request that is not a GET', async () => {
    const { server, fetch } = await exchangeAgainst(1);
    await expect(fetch('POST')).rejects.toBeInstanceOf(ccxt.NetworkError);
    expect(server.requests()).toBe(1);
  });
});
