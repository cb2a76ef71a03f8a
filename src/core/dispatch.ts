import type { Logger } from 'pino';
import type { ArgValue, Caller, Command, CommandContext, CommandInput, CommandResult, OptionSpec } from './command.js';
import { FloodLimit, type FloodLimitOptions, type FloodVerdict } from './flood-limit.js';
import { parseCommandLine, usageLine } from './parse.js';
import { errorReply } from './reply.js';
import { GLOSSARY } from '../basis/glossary.js';

export type { Caller } from './command.js';
export type SuggestionKind = NonNullable<OptionSpec['autocomplete']>;

export interface DispatcherOptions {
  /** Per-user flood limit on commands (defaults: FLOOD_LIMIT per FLOOD_WINDOW_MS); `false` turns it off. */
  flood?: FloodLimitOptions | false;
  /**
   * ALLOWED_CHATS: whether the caller's chat may use the bot (see src/ops/allowed-chats.ts).
   * Unset = every chat. The console is never asked: it is the operator's own terminal.
   */
  allowChat?: (caller: Caller) => boolean;
  /** Told of every command answered (metrics): its registry name, never user text, and whether it succeeded. */
  onServed?: (platform: Caller['platform'], command: string, ok: boolean) => void;
}

export interface HandleTextOptions {
  /**
   * The platform must answer every call (a Discord interaction): a command dropped by the
   * flood limit gets a short error result instead of undefined.
   */
  mustAnswer?: boolean;
}

function slowDown(retryInMs: number): CommandResult {
  const seconds = Math.max(1, Math.ceil(retryInMs / 1000));
  return {
    ok: false,
    reply: errorReply(
      'You are sending commands faster than I can answer them.',
      `Please wait ${seconds} s; until then further commands are ignored.`,
    ),
  };
}

/**
 * One polite line for a chat outside ALLOWED_CHATS: silence would look like a broken bot,
 * and the id tells whoever runs it exactly what to add.
 */
function notAllowedHere(caller: Caller): CommandResult {
  const where = caller.platform === 'discord' ? (caller.guildId ? `server ${caller.guildId}` : `user ${caller.user.id}`) : `chat ${caller.chat.id}`;
  return { ok: false, reply: errorReply(`Sorry, this bot is private and not enabled here (${where}); its operator can add this id to ALLOWED_CHATS.`) };
}

function tooMany(retryInMs: number): CommandResult {
  const seconds = Math.max(1, Math.ceil(retryInMs / 1000));
  return { ok: false, reply: errorReply(`Too many commands; try again in ${seconds} s.`) };
}

/**
 * The one entry point every adapter calls: it finds the command, runs its guards,
 * and turns any failure into a plain error reply so no handler can take the process down.
 */
export class Dispatcher {
  private readonly inFlight = new Map<string, Promise<CommandResult>>();
  private readonly flood: FloodLimit | undefined;
  private readonly allowChat: ((caller: Caller) => boolean) | undefined;
  private readonly onServed: DispatcherOptions['onServed'];

  constructor(
    readonly commands: Command[],
    private readonly context: CommandContext,
    private readonly log: Logger,
    options: DispatcherOptions = {},
  ) {
    this.flood = options.flood === false ? undefined : new FloodLimit(options.flood);
    this.allowChat = options.allowChat;
    this.onServed = options.onServed;
  }

  find(name: string): Command | undefined {
    const [head, sub] = name.split(' ');
    const command = this.commands.find((candidate) => candidate.name === head);
    return sub ? command?.subcommands?.find((candidate) => candidate.name === sub) : command;
  }

  /** Whether the command's answer needs no venue round trip (see Command.isCached). */
  isCached(name: string, args: Record<string, ArgValue | undefined>): boolean {
    const command = this.find(name);
    if (!command?.isCached) return true;
    try {
      return command.isCached(args, this.context);
    } catch {
      return false;
    }
  }

  /** Candidates for an option the user is typing (assets most liquid first, venues, glossary terms). */
  async suggest(kind: SuggestionKind): Promise<string[]> {
    switch (kind) {
      case 'asset':
        return this.context.services.market.knownAssets();
      case 'venue':
        return this.context.services.market.venues();
      case 'term':
        return GLOSSARY.map((entry) => entry.term);
    }
  }

  /**
   * Counts a command against its sender's flood limit. The console is exempt: it is the
   * operator's own terminal, with nobody else to starve, and a demo script piped into it
   * (`printf '/basis BTC\n…' | npx basisbot demo`) sends its lines back to back.
   */
  private floodVerdict(caller: Caller): FloodVerdict {
    if (!this.flood || caller.platform === 'console') return { kind: 'allow' };
    return this.flood.check(`${caller.platform}:${caller.user.id}`, this.context.now());
  }

  /** Whether ALLOWED_CHATS lets this caller's chat use the bot. */
  private allowed(caller: Caller): boolean {
    return !this.allowChat || caller.platform === 'console' || this.allowChat(caller);
  }

  /**
   * Parses and runs a chat line; undefined when the line is not for this bot, or when the
   * sender is over the flood limit and was already told to slow down (say nothing more).
   */
  async handleText(text: string, caller: Caller, botUsername?: string, options: HandleTextOptions = {}): Promise<CommandResult | undefined> {
    const parsed = parseCommandLine(text, this.commands, botUsername);
    if (parsed.kind === 'ignore') return undefined;
    // Mistyped commands count too: each one still costs an answer in the chat.
    const verdict = this.floodVerdict(caller);
    if (verdict.kind === 'warn') return slowDown(verdict.retryInMs);
    if (verdict.kind === 'drop') return options.mustAnswer ? tooMany(verdict.retryInMs) : undefined;
    // After the flood limit, so a refused chat that keeps typing is still throttled.
    if (!this.allowed(caller)) return notAllowedHere(caller);
    switch (parsed.kind) {
      case 'unknown-command': {
        const names = this.commands.map((command) => `/${command.name}`).join(' ');
        return { ok: false, reply: errorReply(`Unknown command /${parsed.name}.`, `Commands: ${names}`) };
      }
      case 'usage-error':
        this.onServed?.(caller.platform, parsed.command.name, false);
        return {
          ok: false,
          reply: errorReply(`Usage: ${usageLine(parsed.command)}`, `${parsed.message}. Try /help ${parsed.command.name}.`),
        };
      case 'command':
        return this.runCounted(parsed.name, parsed.args, caller);
    }
  }

  /**
   * Runs a command with arguments already bound (Discord's structured options). The call
   * counts against the flood limit; over it, the answer is an error (Discord shows it privately).
   */
  async run(name: string, args: Record<string, ArgValue | undefined>, caller: Caller): Promise<CommandResult> {
    const verdict = this.floodVerdict(caller);
    if (verdict.kind === 'warn') return slowDown(verdict.retryInMs);
    if (verdict.kind === 'drop') return tooMany(verdict.retryInMs);
    if (!this.allowed(caller)) return notAllowedHere(caller);
    return this.runCounted(name, args, caller);
  }

  /** Runs a command already counted against the flood limit, and reports it as served. */
  private async runCounted(name: string, args: Record<string, ArgValue | undefined>, caller: Caller): Promise<CommandResult> {
    const result = await this.runGuarded(name, args, caller);
    this.onServed?.(caller.platform, this.find(name) ? name : 'unknown', result.ok);
    return result;
  }

  private async runGuarded(name: string, args: Record<string, ArgValue | undefined>, caller: Caller): Promise<CommandResult> {
    const command = this.find(name);
    if (!command) return { ok: false, reply: errorReply(`Unknown command /${name}.`) };
    const input: CommandInput = { command: name, args, ...caller };
    try {
      for (const guard of command.guards ?? []) {
        const refusal = await guard(input, this.context);
        if (refusal) return { ok: false, reply: refusal };
      }
      return await this.runShared(command, input);
    } catch (error) {
      this.log.error({ err: error, command: name, args }, 'command failed');
      return { ok: false, reply: errorReply(`Sorry, /${name} failed unexpectedly. The error was logged; please try again.`) };
    }
  }

  /** Joins an identical call already running when the command's answer is the same for everyone. */
  private runShared(command: Command, input: CommandInput): Promise<CommandResult> {
    if (!command.sharedAnswer) return command.run(input, this.context);
    const key = `${input.command}\u0000${JSON.stringify(Object.entries(input.args).sort(([a], [b]) => a.localeCompare(b)))}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = command.run(input, this.context).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }
}
