/**
 * Answers Discord interactions: slash commands, buttons (Refresh, and command lines such as
 * `/alert pause 3`) and autocomplete. Discord wants a first answer within 3 seconds, so a
 * command is acknowledged (deferred) at once unless its answer is already cached, then the
 * message is edited when the answer is ready.
 * Every failure is logged and dropped here: nothing an interaction does can reach the process.
 */
import {
  ApplicationCommandOptionType,
  MessageFlags,
  PermissionFlagsBits,
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
import { errorReply } from '../../core/reply.js';
import type { Autocompleter } from './autocomplete.js';
import { actionCustomId, decodeCommandLine, decodeCustomId, REFRESH_ACTION } from './custom-id.js';
import { describeInteractionError } from './errors.js';
import { renderReply, type DiscordMessage } from './render.js';

export type Args = Record<string, ArgValue | undefined>;

const STALE_BUTTON = 'This button no longer works; please run the command again.';

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

/**
 * Who clicked or typed, and where. In a DM the user administers their own chat; in a guild,
 * Manage Channels (which Administrator implies) is what lets someone change what the bot
 * posts in a channel, so it is what /digest set and channel alerts ask for.
 */
function callerOf(interaction: BaseInteraction): Caller {
  const inGuild = interaction.guildId !== null;
  return {
    user: { id: interaction.user.id, name: interaction.user.globalName ?? interaction.user.username },
    chat: { id: interaction.channelId ?? interaction.user.id, kind: inGuild ? 'group' : 'private' },
    platform: 'discord',
    guildId: interaction.guildId ?? undefined,
    isAdmin: inGuild ? (interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false) : true,
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
    return this.answerOf(`/${command}`, this.options.dispatcher.run(command, args, caller));
  }

  /** The dispatcher never throws by contract; should it anyway, the user still gets an answer. */
  private answerOf(what: string, running: Promise<CommandResult>): Promise<CommandResult> {
    return running.catch((error: unknown) => {
      this.options.log.error({ err: error, command: what }, 'dispatcher threw; answering with a generic error');
      return { ok: false, reply: errorReply(`Sorry, ${what} failed unexpectedly.`) };
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

  /** `rerun` is the command behind the reply, for its Refresh button; command-line actions need none. */
  private render(result: CommandResult, rerun?: { command: string; args: Args }): DiscordMessage[] {
    // Errors get no Refresh button: re-running a mistake gives the same mistake.
    const refreshable = result.ok ? rerun : undefined;
    return renderReply(result.reply, { customIdFor: (action) => actionCustomId(action, refreshable) });
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
      const [first, ...rest] = this.render(quick, { command, args });
      await interaction.reply(replyPayload(first, ephemeral));
      for (const message of rest) await interaction.followUp(replyPayload(message, ephemeral));
      return;
    }

    await interaction.deferReply(personal ? { flags: MessageFlags.Ephemeral } : {});
    const result = await run;
    const ephemeral = personal || !result.ok;
    const [first, ...rest] = this.render(result, { command, args });
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
    const line = decodeCommandLine(interaction.customId);
    if (line) return this.onCommandLineButton(interaction, line);
    const call = decodeCustomId(interaction.customId);
    if (!call || call.actionId !== REFRESH_ACTION) {
      await interaction.reply({ content: STALE_BUTTON, flags: MessageFlags.Ephemeral });
      return;
    }
    const run = this.run(call.command, call.args, callerOf(interaction));
    const wasEphemeral = isEphemeralMessage(interaction.message);

    const quick = await this.quickResult(call.command, call.args, run);
    const result = quick ?? (await interaction.deferUpdate(), await run);
    const [first, ...rest] = this.render(result, call);
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

  /**
   * A command-line button (`/alert pause 3`): runs the line as the person who clicked, with
   * their rights, and answers only them; the message with the button stays as it was.
   */
  private async onCommandLineButton(interaction: ButtonInteraction, line: string): Promise<void> {
    const handled = this.options.dispatcher.handleText(line, callerOf(interaction), undefined, { mustAnswer: true });
    const run = this.answerOf(line, handled.then((result) => result ?? { ok: false, reply: errorReply(STALE_BUTTON) }));
    // These lines change settings in the store and are usually quick: answer in the callback
    // when possible, else acknowledge privately within the budget (inside Discord's 3 s).
    const quick = await within(run, this.fastReplyBudgetMs);
    if (!quick) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const [first, ...rest] = this.render(quick ?? (await run));
    if (quick) await interaction.reply(replyPayload(first, true));
    else await interaction.editReply(editPayload(first));
    for (const message of rest) await interaction.followUp(replyPayload(message, true));
  }

  private async onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const { command } = readInvocation(interaction.commandName, interaction.options.data);
    const focused = interaction.options.getFocused(true);
    const spec = this.options.dispatcher.find(command)?.options.find((option) => option.name === focused.name);
    const choices = spec ? await this.options.autocompleter.suggest(spec, String(focused.value ?? '')) : [];
    await interaction.respond(choices);
  }
}
