/**
 * The operations variables (HTTP_PORT, ALLOWED_CHATS) as a zod shape, kept apart so it can
 * be merged into src/config.ts's schema (`...OPS_CONFIG_SHAPE`) and its Config
 * (`...opsConfigFrom(value)`), and tested on its own until then.
 */
import { z } from 'zod';
import { ConfigError } from '../config.js';
import type { AllowedChat } from './allowed-chats.js';
import { OPS_CONFIG_SHAPE } from './config-shape.js';

export { OPS_CONFIG_SHAPE } from './config-shape.js';

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
