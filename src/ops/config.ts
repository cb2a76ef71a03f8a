/**
 * The operations variables (HTTP_PORT, ALLOWED_CHATS) as a zod shape, kept apart so it can
 * be merged into src/config.ts's schema (`...OPS_CONFIG_SHAPE`) and its Config
 * (`...opsConfigFrom(value)`), and tested on its own until then.
 */
import { z } from 'zod';
import { ConfigError } from '../config.js';
import { AllowedChatsError, parseAllowedChats, type AllowedChat } from './allowed-chats.js';

const allowedChats = z.string().transform((text, ctx) => {
  try {
    return parseAllowedChats(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof AllowedChatsError ? error.message : String(error) });
    return z.NEVER;
  }
});

export const OPS_CONFIG_SHAPE = {
  /** The operators' endpoint (/healthz, /readyz, /metrics); unset = off. */
  HTTP_PORT: z.coerce
    .number({ error: 'must be a port number between 1 and 65535 (unset = no ops endpoint)' })
    .int({ error: 'must be a port number between 1 and 65535 (unset = no ops endpoint)' })
    .min(1, { error: 'must be a port number between 1 and 65535 (unset = no ops endpoint)' })
    .max(65535, { error: 'must be a port number between 1 and 65535 (unset = no ops endpoint)' })
    .optional(),
  /** Where the ops endpoint listens; default every interface (container probes come from outside). */
  HTTP_HOST: z.string().min(1).optional(),
  /** Chats the bot answers in; unset = everywhere. */
  ALLOWED_CHATS: allowedChats.optional(),
};

const opsSchema = z.object(OPS_CONFIG_SHAPE);
export type OpsConfigValues = z.infer<typeof opsSchema>;

export interface OpsConfig {
  http?: { port: number; host?: string };
  /** Undefined: every chat may use the bot. */
  allowedChats?: AllowedChat[];
}

/** Maps validated values to the Config fields (merge into loadConfig's return). */
export function opsConfigFrom(value: OpsConfigValues): OpsConfig {
  return {
    http: value.HTTP_PORT === undefined ? undefined : { port: value.HTTP_PORT, host: value.HTTP_HOST },
    allowedChats: value.ALLOWED_CHATS,
  };
}

/**
 * Validates the ops variables alone, with config.ts's conventions (empty = unset, one
 * line per bad variable); throws a ConfigError (one line per variable, as the CLI prints it).
 */
export function parseOpsConfig(env: NodeJS.ProcessEnv = process.env): OpsConfig {
  const present = Object.fromEntries(Object.keys(OPS_CONFIG_SHAPE).flatMap((key) => (env[key] ? [[key, env[key]]] : [])));
  const parsed = opsSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return opsConfigFrom(parsed.data);
}
