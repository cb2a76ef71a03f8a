/**
 * Answers Discord interactions: slash commands, Refresh buttons and autocomplete. Discord
 * wants a first answer within 3 seconds, so a command is acknowledged (deferred) at once
 * unless its answer is already cached, then the message is edited when the answer is ready.
 * Every failure is logged and dropped here: nothing an interaction does can reach the process.
 */
import {
  ApplicationCommandOptionType,
  MessageFlags,
  type AutocompleteInteraction,
  type BaseInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
} from 'discord.js';
import type { Logger } from 'pino';
import type { ArgValue, CommandResult } from '../../core/command.js';
import type { Caller, Dispatcher } from '../../core/dispatch.js';
import type { Autocompleter } from './autocomplete.js';
import { decodeCustomId, encodeCustomId } from './custom-id.js';
import { describeInteractionError } from './errors.js';
import { renderReply, type DiscordMessage } from './render.js';

export type Args = Record<string, ArgValue | undefined>;

export interface InteractionHandlerOptions {
  dispatcher: Dispatcher;
  autocompleter: Autocompleter;
  log: Logger;
  /** True when the answer is already cached, so the command can answer without deferring. */
  isCached?: (command: string, args: Args) => boolean;
  /** Commands whose answers only the caller should see (their alert list, say). */
  isPersonal?: (command: string) => boolean;
  /** How long a cached command may take before it is deferred after all. */
  fastReplyBudgetMs?: number;
}

export const REFRESH_ACTION = 'refresh';

/** The dispatcher name (`basis`, `alert add`) and flat arguments of a command interaction. */
export function readInvocation(commandName: string, data: readonly CommandInteractionOption[]): { command: string; args: Args } {
  let command = commandName;
  let options = data;
  for (;;) {
    const nested = options.find(
      (option) => option.type === ApplicationCommandOptionType.Subcommand || option.type === ApplicationCommandOptionType.SubcommandGroup,
    );
    if (!nested) break;
    command += ` ${nested.name}`;
    options = nested.options ?? [];
  }
  const args: Args = {};
  for (const option of options) if (option.value !== undefined) args[option.name] = option.value;
  return { command, args };
}

function callerOf(interaction: BaseInteraction): Caller {
  return {
    user: { id: interaction.user.id, name: interaction.user.globalName ?? interaction.user.username },
    chat: { id: interaction.channelId ?? interaction.user.id, kind: interaction.guildId ? 'group' : 'private' },
    platform: 'discord',
  };
}

function files(message: DiscordMessage) {
  return message.files.map((file) => ({ attachment: file.data, name: file.name, description: file.description }));
}

function replyPayload(message: DiscordMessage, ephemeral: boolean): InteractionReplyOptions {
  return {
    embeds: message.embeds,
    components: message.components,
    files: files(message),
    allowedMentions: { parse: [] },
    ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/** Always sends `files`, even empty, so an edit replaces the old chart instead of keeping it. */
function editPayload(message: DiscordMessage): InteractionEditReplyOptions {
  return { embeds: message.embeds, components: message.components, files: files(message), allowedMentions: { parse: [] } };
}

function isEphemeralMessage(message: unknown): boolean {
  const flags = (message as { flags?: number | { has(flag: number): boolean } } | undefined)?.flags;
  if (typeof flags === 'number') return (flags & MessageFlags.Ephemeral) !== 0;
  return flags?.has(MessageFlags.Ephemeral) ?? false;
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class InteractionHandler {
  private readonly fastReplyBudgetMs: number;

  constructor(private readonly options: InteractionHandlerOptions) {
    this.fastReplyBudgetMs = options.fastReplyBudgetMs ?? 2_000;
  }

  /** Entry point for every interaction; resolves when answered, never rejects. */
  async handle(interaction: BaseInteraction): Promise<void> {
    const context = { interaction: interaction.id, kind: interaction.type };
    try {
      if (interaction.isChatInputCommand()) await this.onCommand(interaction);
      else if (interaction.isAutocomplete()) await this.onAutocomplete(interaction);
      else if (interaction.isButton()) await this.onButton(interaction);
    } catch (error) {
      const { level, message } = describeInteractionError(error);
      this.options.log[level]({ err: error, ...context }, message);
    }
  }

  private run(command: string, args: Args, caller: Caller): Promise<CommandResult> {
    return this.options.dispatcher.run(command, args, caller).catch((error: unknown) => {
      this.options.log.error({ err: error, command }, 'dispatcher threw; answering with a generic error');
      return { ok: false, reply: { tone: 'error' as const, blocks: [{ kind: 'text' as const, text: `Sorry, /${command} failed unexpectedly.` }] } };
    });
  }

  /** The result if the answer is cached and arrives within the budget; undefined means defer. */
  private async quickResult(command: string, args: Args, run: Promise<CommandResult>): Promise<CommandResult | undefined> {
    let cached = false;
    try {
      cached = this.options.isCached?.(command, args) ?? false;
    } catch (error) {
      this.options.log.warn({ err: error, command }, 'isCached threw; deferring');
    }
    return cached ? within(run, this.fastReplyBudgetMs) : undefined;
  }

  private render(result: CommandResult, command: string, args: Args): DiscordMessage[] {
    // Errors get no Refresh button: re-running a mistake gives the same mistake.
    const customIdFor = result.ok
      ? (action: { id: string }) => (action.id === REFRESH_ACTION ? encodeCustomId({ actionId: action.id, command, args }) : undefined)
      : undefined;
    return renderReply(result.reply, { customIdFor });
  }

  private isPersonal(command: string): boolean {
    if (this.options.isPersonal) return this.options.isPersonal(command);
    return this.options.dispatcher.find(command)?.personal === true;
  }

  private async onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const { command, args } = readInvocation(interaction.commandName, interaction.options.data);
    const personal = this.isPersonal(command);
    this.options.log.debug({ command, args, interaction: interaction.id }, 'discord command');
    const run = this.run(command, args, callerOf(interaction));

    const quick = await this.quickResult(command, args, run);
    if (quick) {
      const ephemeral = personal || !quick.ok;
      const [first, ...rest] = this.render(quick, command, args);
      await interaction.reply(replyPayload(first, ephemeral));
      for (const message of rest) await interaction.followUp(replyPayload(message, ephemeral));
      return;
    }

    await interaction.deferReply(personal ? { flags: MessageFlags.Ephemeral } : {});
    const result = await run;
    const ephemeral = personal || !result.ok;
    const [first, ...rest] = this.render(result, command, args);
    if (ephemeral && !personal) {
      // A public "thinking..." placeholder cannot turn private: replace it with a private follow-up.
      await interaction.deleteReply();
      await interaction.followUp(replyPayload(first, true));
    } else {
      await interaction.editReply(editPayload(first));
    }
    for (const message of rest) await interaction.followUp(replyPayload(message, ephemeral));
  }

  private async onButton(interaction: ButtonInteraction): Promise<void> {
    const call = decodeCustomId(interaction.customId);
    if (!call || call.actionId !== REFRESH_ACTION) {
      await interaction.reply({ content: 'This button no longer works; please run the command again.', flags: MessageFlags.Ephemeral });
      return;
    }
    const run = this.run(call.command, call.args, callerOf(interaction));
    const wasEphemeral = isEphemeralMessage(interaction.message);

    const quick = await this.quickResult(call.command, call.args, run);
    const result = quick ?? (await interaction.deferUpdate(), await run);
    const [first, ...rest] = this.render(result, call.command, call.args);
    if (!result.ok) {
      // Keep the message as it was and tell only the person who clicked.
      if (quick) await interaction.reply(replyPayload(first, true));
      else await interaction.followUp(replyPayload(first, true));
      return;
    }
    if (quick) await interaction.update(editPayload(first));
    else await interaction.editReply(editPayload(first));
    for (const message of rest) await interaction.followUp(replyPayload(message, wasEphemeral));
  }

  private async onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const { command } = readInvocation(interaction.commandName, interaction.options.data);
    const focused = interaction.options.getFocused(true);
    const spec = this.options.dispatcher.find(command)?.options.find((option) => option.name === focused.name);
    const choices = spec ? await this.options.autocompleter.suggest(spec, String(focused.value ?? '')) : [];
    await interaction.respond(choices);
  }
}
