import path from 'node:path';
import { z } from 'zod';
import { parseTakerFees, type TakerFeeOverrides } from './market/order-books.js';
import { SUPPORTED_VENUES, type VenueId } from './market/types.js';
import type { AllowedChat } from './ops/allowed-chats.js';
import { OPS_CONFIG_SHAPE } from './ops/config-shape.js';

const venueList = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim().toLowerCase()).filter(Boolean))
  .pipe(
    z
      .array(z.enum(SUPPORTED_VENUES, { error: (issue) => `unknown venue "${String(issue.input)}"; supported: ${SUPPORTED_VENUES.join(', ')}` }))
      .min(1, 'list at least one venue'),
  );

const assetList = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim().toUpperCase()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[A-Z0-9]{1,15}$/, 'assets are tickers like BTC')).min(1));

/**
 * A duration in ms between `min` and `max`. Every bound stays far below 2^31-1: Node clamps
 * a longer timer to 1 ms, so an oversized value would make every timer fire at once.
 */
function boundedMs(min: number, max: number, why = '') {
  const range = `between ${min} and ${max} (ms)${why}`;
  return z.coerce
    .number({ error: `must be a whole number of milliseconds ${range}` })
    .int({ error: `must be a whole number of milliseconds ${range}` })
    .min(min, { error: `must be ${range}` })
    .max(max, { error: `must be ${range}` });
}

/** The shutdown budget: the lead's stop bound is 9 s, under Docker's 10 s SIGKILL. */
export const VENUE_TIMEOUT_MAX_MS = 8_000;

/** Only web URLs: an ftp: or javascript: base would be handed to an HTTP client as is. */
function webUrl(example: string) {
  return z.url({ protocol: /^https?$/, error: `must be an http:// or https:// URL such as ${example}` });
}

/** keyv backends basisbot knows; anything else (mysql://…) used to fall back to SQLite silently. */
const STORE_SCHEMES = ['redis:', 'rediss:', 'sqlite:'];
const storeUrl = z.string().refine(
  (text) => {
    const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(text)?.[1]?.toLowerCase();
    return scheme !== undefined && STORE_SCHEMES.includes(scheme);
  },
  { error: 'must start with redis://, rediss:// or sqlite:// (unset = SQLite under DATA_DIR)' },
);

/** `binance=0.04%,okx=0.05%/0.02%`: per-venue taker fees (spot/derivatives) replacing ccxt's market.taker. */
const takerFees = z.string().transform((text, ctx): TakerFeeOverrides => {
  const parsed = parseTakerFees(text);
  if (!('error' in parsed)) return parsed;
  ctx.addIssue({ code: 'custom', message: `${parsed.error}; expected venue=fee[/derivatives fee],… such as binance=0.1%/0.04%,okx=0.05%` });
  return z.NEVER;
});

/** Every environment variable basisbot reads; .env.example documents each one. */
const schema = z.object({
  VENUES: venueList.prefault(SUPPORTED_VENUES.join(',')),
  VENUE_BASE_URL: webUrl('http://127.0.0.1:8787').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WATCH_LIST: assetList.prefault('BTC,ETH,SOL,XRP,DOGE'),
  QUOTE_TTL_MS: boundedMs(100, 3_600_000).default(5_000),
  QUOTE_GRACE_MS: boundedMs(0, 3_600_000).optional(),
  VENUE_TIMEOUT_MS: boundedMs(100, VENUE_TIMEOUT_MAX_MS, ': an answer still waiting on a venue must end within the 9 s shutdown bound (Docker kills at 10 s)').default(4_000),
  STALE_AFTER_MS: boundedMs(1_000, 86_400_000).default(60_000),
  MARKETS_MAX_AGE_MS: boundedMs(60_000, 7 * 86_400_000).default(24 * 3600 * 1000),
  STORE_URL: storeUrl.optional(),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'looks like 123456:ABC-DEF… (from BotFather)').optional(),
  TELEGRAM_API_ROOT: webUrl('https://api.telegram.org').default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https$/, error: 'must be the public https URL Telegram posts to' }).optional(),
  TELEGRAM_WEBHOOK_PORT: z.coerce.number().int().min(0).max(65535).default(8443),
  TELEGRAM_WEBHOOK_HOST: z.string().optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, '1-256 characters of A-Z a-z 0-9 _ -').optional(),
  DISCORD_TOKEN: z.string().regex(/^\S+$/, 'has spaces or line breaks: paste the token alone').optional(),
  DISCORD_GUILD_ID: z.string().regex(/^\d{5,25}$/, 'a server (guild) id is a number').optional(),
  DISCORD_API_BASE: webUrl('https://discord.com/api').default('https://discord.com/api'),
  // At most MAX_DRAIN_MS (src/stop.ts): the whole shutdown must fit Docker's 10 s grace.
  OUTBOX_STOP_TIMEOUT_MS: boundedMs(100, 5_000).default(5_000),
  ALERT_CHECK_SECONDS: z.coerce
    .number()
    .int()
    .refine((seconds) => (seconds >= 1 && seconds < 60 && 60 % seconds === 0) || (seconds >= 60 && seconds <= 3600 && seconds % 60 === 0 && 60 % (seconds / 60) === 0), {
      message: 'must divide a minute (1, 2, 5, 10, 15, 20, 30) or be whole minutes dividing an hour (60, 120, 300 … 3600)',
    })
    .default(30),
  ALERTS_PER_USER: z.coerce.number().int().min(1).max(1000).default(25),
  DIGEST_TZ: z
    .string()
    .refine(isTimeZone, { message: 'must be an IANA time zone such as UTC, Europe/Berlin or America/New_York' })
    .default('UTC'),
  DIGEST_GRACE_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(120),
  // Operations (issue 9): HTTP_PORT, HTTP_HOST, ALLOWED_CHATS (src/ops/config-shape.ts).
  ...OPS_CONFIG_SHAPE,
  /** How long the push lease lasts unrenewed: a dead holder is replaced within this (replicas on Redis only). */
  LEASE_TTL_MS: boundedMs(3_000, 300_000).default(15_000),
  /** Discord gateway shards: a count, or `auto` (Discord's recommendation); unset = one. */
  /** Taker fees per venue for `/basis size=`, replacing ccxt's public rates (a VIP tier pays less). */
  TAKER_FEES: takerFees.optional(),
  DISCORD_SHARDS: z.union([z.literal('auto'), z.coerce.number({ error: 'must be a shard count or auto' }).int().min(1).max(1_000)]).optional(),
}).refine((value) => !value.TELEGRAM_WEBHOOK_URL || value.TELEGRAM_WEBHOOK_SECRET, {
  path: ['TELEGRAM_WEBHOOK_SECRET'],
  message: 'required with TELEGRAM_WEBHOOK_URL, so nobody else can post updates to the bot',
});

/** Whether the runtime knows the IANA zone (Intl throws a RangeError for unknown ones). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every variable name the schema reads (the .env.example test checks each is documented). */
export const CONFIG_VARIABLES = Object.keys(schema.shape);

export interface Config {
  venues: VenueId[];
  venueBaseUrl?: string;
  dataDir: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  watchList: string[];
  quoteTtlMs: number;
  /** How long past the TTL a user's query may get cached quotes while they refresh (undefined: two TTLs; 0: never). */
  quoteGraceMs?: number;
  venueTimeoutMs: number;
  staleAfterMs: number;
  marketsMaxAgeMs: number;
  /** keyv connection string; SQLite under DATA_DIR when unset. */
  storeUrl?: string;
  telegram?: { token: string; apiRoot: string; webhook?: { url: string; port: number; secretToken: string; host?: string } };
  discord?: { token: string; guildId?: string; apiBase: string };
  outboxStopTimeoutMs: number;
  alerts: { checkSeconds: number; perUser: number };
  digests: { timezone: string; graceMinutes: number };
  /** The operators' endpoint; off when HTTP_PORT is unset. */
  http?: { port: number; host?: string };
  /** ALLOWED_CHATS; undefined = every chat. */
  allowedChats?: AllowedChat[];
  leaseTtlMs: number;
  discordShards?: number | 'auto';
  /** TAKER_FEES: per-venue overrides of ccxt's taker fees in `/basis size=`; empty = ccxt's. */
  takerFees: TakerFeeOverrides;
}

export class ConfigError extends Error {}

/** Reads and validates the environment once; the message names each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const value = parsed.data;
  return {
    venues: value.VENUES,
    venueBaseUrl: value.VENUE_BASE_URL,
    dataDir: path.resolve(value.DATA_DIR),
    logLevel: value.LOG_LEVEL,
    watchList: value.WATCH_LIST,
    quoteTtlMs: value.QUOTE_TTL_MS,
    quoteGraceMs: value.QUOTE_GRACE_MS,
    venueTimeoutMs: value.VENUE_TIMEOUT_MS,
    staleAfterMs: value.STALE_AFTER_MS,
    marketsMaxAgeMs: value.MARKETS_MAX_AGE_MS,
    storeUrl: value.STORE_URL,
    telegram: value.TELEGRAM_BOT_TOKEN
      ? {
          token: value.TELEGRAM_BOT_TOKEN,
          apiRoot: value.TELEGRAM_API_ROOT,
          webhook: value.TELEGRAM_WEBHOOK_URL
            ? { url: value.TELEGRAM_WEBHOOK_URL, port: value.TELEGRAM_WEBHOOK_PORT, secretToken: value.TELEGRAM_WEBHOOK_SECRET!, host: value.TELEGRAM_WEBHOOK_HOST }
            : undefined,
        }
      : undefined,
    discord: value.DISCORD_TOKEN ? { token: value.DISCORD_TOKEN, guildId: value.DISCORD_GUILD_ID, apiBase: value.DISCORD_API_BASE } : undefined,
    outboxStopTimeoutMs: value.OUTBOX_STOP_TIMEOUT_MS,
    alerts: { checkSeconds: value.ALERT_CHECK_SECONDS, perUser: value.ALERTS_PER_USER },
    digests: { timezone: value.DIGEST_TZ, graceMinutes: value.DIGEST_GRACE_MINUTES },
    http: value.HTTP_PORT === undefined ? undefined : { port: value.HTTP_PORT, host: value.HTTP_HOST },
    allowedChats: value.ALLOWED_CHATS,
    leaseTtlMs: value.LEASE_TTL_MS,
    discordShards: value.DISCORD_SHARDS,
    takerFees: value.TAKER_FEES ?? {},
  };
}
