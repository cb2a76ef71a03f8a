/**
 * The operations variables as a zod shape, with no import of src/config.ts: config.ts
 * spreads it into its schema, and config.ts is imported by ops/config.ts (a cycle would
 * leave the shape undefined when ops/config.ts happens to load first).
 */
import { z } from 'zod';
import { AllowedChatsError, parseAllowedChats } from './allowed-chats.js';

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

