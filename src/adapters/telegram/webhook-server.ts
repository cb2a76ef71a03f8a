/**
 * Webhook mode's HTTP server: our own rather than telegraf's, whose listen errors (a port in
 * use) would be unhandled. Telegraf's webhook callback checks the path and the secret token.
 */
import http from 'node:http';
import type { Logger } from 'pino';

export interface TelegramWebhookOptions {
  /** Public HTTPS URL Telegram posts updates to, e.g. https://bot.example.com/telegram. */
  url: string;
  /** Local port the webhook server listens on (0 picks a free one; see webhookPort()). */
  port: number;
  /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token; requests without it are refused. */
  secretToken: string;
  /** Local interface to listen on; all interfaces by default. */
  host?: string;
}

type WebhookCallback = (path: string, options: { secretToken: string }) => (request: http.IncomingMessage, response: http.ServerResponse) => Promise<void>;

const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

/** Fails at construction with the reason, rather than at setWebhook with Telegram's. */
export function checkWebhookOptions(webhook: TelegramWebhookOptions): void {
  if (!SECRET_TOKEN.test(webhook.secretToken)) {
    throw new Error('TelegramAdapter: webhook secretToken must be 1-256 characters of A-Z a-z 0-9 _ -');
  }
  if (!URL.canParse(webhook.url) || new URL(webhook.url).protocol !== 'https:') {
    throw new Error(`TelegramAdapter: webhook url must be an https:// URL (Telegram accepts no other), got "${webhook.url}"`);
  }
}

/** Listens on the webhook's port and hands each request to telegraf; resolves once listening. */
export async function listenForWebhook(webhook: TelegramWebhookOptions, webhookCallback: WebhookCallback, log: Logger): Promise<http.Server> {
  const url = new URL(webhook.url);
  const callback = webhookCallback(url.pathname + url.search, { secretToken: webhook.secretToken });
  const server = http.createServer((request, response) => {
    callback(request, response).catch((error: unknown) => {
      log.error({ err: error }, 'telegram: webhook request failed');
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(webhook.port, webhook.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log.error({ err: error }, 'telegram: webhook server error'));
  return server;
}

/** Closes the server and the connections Telegram keeps open. */
export async function closeServer(server: http.Server): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
