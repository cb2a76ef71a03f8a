/**
 * INTERACTION_CREATE payloads as Discord sends them, for the fake Discord: who and where
 * (guild member or DM user), and command options typed from the registered command, the
 * way Discord types them, so a test cannot send an option the bot never registered.
 */
import type { GatewayUser } from './discord-gateway.js';

export interface InteractionContext {
  user?: Partial<GatewayUser> & { id: string };
  /** Guild interactions by default; `null` for a DM. */
  guildId?: string | null;
  channelId?: string;
  /**
   * The member's permissions in the channel, a decimal bitfield string as Discord sends it
   * (`String(PermissionFlagsBits.ManageChannels)`); guild interactions only. Defaults to the
   * fake's `memberPermissions`.
   */
  permissions?: string;
}

export interface FakeInteraction {
  id: string;
  token: string;
  type: number;
  dispatchedAt: number;
  /** Callback types received, in order (5 defer, 4 reply, 6 deferUpdate, 7 update, 8 autocomplete). */
  callbacks: number[];
  originalMessageId?: string;
  componentMessageId?: string;
  choices?: { name: string; value: string | number }[];
}

export const DEFAULT_USER: GatewayUser = { id: '200000000000000001', username: 'alice', discriminator: '0', global_name: 'Alice', avatar: null, bot: false };

/** Options typed the way Discord types them: from the registered command's schema. */
function typedOptions(schemaOptions: any[], args: Record<string, unknown>, focused?: string): any[] {
  return Object.entries(args).map(([name, value]) => {
    const option = schemaOptions.find((candidate) => candidate.name === name);
    if (!option) throw new Error(`fake discord: option ${name} is not registered`);
    return { name, type: option.type, value, ...(name === focused ? { focused: true } : {}) };
  });
}

/** `data` of a chat-input (or autocomplete, with `focused`) interaction for a registered command. */
export function commandData(schema: any, args: Record<string, unknown>, guildId: string | null, subcommand?: string, focused?: string): object {
  let options: any[];
  if (subcommand) {
    const sub = (schema.options ?? []).find((option: any) => option.type === 1 && option.name === subcommand);
    if (!sub) throw new Error(`fake discord: /${schema.name} ${subcommand} is not registered`);
    options = [{ name: sub.name, type: 1, options: typedOptions(sub.options ?? [], args, focused) }];
  } else {
    options = typedOptions(schema.options ?? [], args, focused);
  }
  return { id: schema.id, name: schema.name, type: 1, options, ...(guildId ? { guild_id: guildId } : {}) };
}

export interface InteractionPayloadInput {
  id: string;
  token: string;
  applicationId: string;
  type: number;
  data: unknown;
  guildId: string | null;
  channelId: string;
  user: GatewayUser;
  /** The member's permission bitfield (guild interactions). */
  permissions: string;
  extra?: object;
}

export function interactionPayload(input: InteractionPayloadInput): object {
  const { guildId, channelId, user, permissions } = input;
  const where = guildId
    ? {
        guild_id: guildId,
        guild_locale: 'en-US',
        member: { user, roles: [], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0, permissions },
        channel: { id: channelId, type: 0, guild_id: guildId },
        context: 0,
      }
    : { user, channel: { id: channelId, type: 1 }, context: 1 };
  return {
    id: input.id, application_id: input.applicationId, type: input.type, data: input.data, token: input.token,
    version: 1, locale: 'en-US', entitlements: [], app_permissions: '2248473465835073', authorizing_integration_owners: {},
    channel_id: channelId, attachment_size_limit: 10_485_760, ...where, ...input.extra,
  };
}
