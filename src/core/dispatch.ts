import type { Logger } from 'pino';
import type { ArgValue, Caller, Command, CommandContext, CommandInput, CommandResult, OptionSpec } from './command.js';
import { parseCommandLine, usageLine } from './parse.js';
import { errorReply } from './reply.js';
import { GLOSSARY } from '../basis/glossary.js';

export type { Caller } from './command.js';
export type SuggestionKind = NonNullable<OptionSpec['autocomplete']>;

/**
 * The one entry point every adapter calls: it finds the command, runs its guards,
 * and turns any failure into a plain error reply so no handler can take the process down.
 */
export class Dispatcher {
  private readonly inFlight = new Map<string, Promise<CommandResult>>();

  constructor(
    readonly commands: Command[],
    private readonly context: CommandContext,
    private readonly log: Logger,
  ) {}

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

  /** Parses and runs a chat line; undefined when the line is not for this bot. */
  async handleText(text: string, caller: Caller, botUsername?: string): Promise<CommandResult | undefined> {
    const parsed = parseCommandLine(text, this.commands, botUsername);
    switch (parsed.kind) {
      case 'ignore':
        return undefined;
      case 'unknown-command': {
        const names = this.commands.map((command) => `/${command.name}`).join(' ');
        return { ok: false, reply: errorReply(`Unknown command /${parsed.name}.`, `Commands: ${names}`) };
      }
      case 'usage-error':
        return {
          ok: false,
          reply: errorReply(`Usage: ${usageLine(parsed.command)}`, `${parsed.message}. Try /help ${parsed.command.name}.`),
        };
      case 'command':
        return this.run(parsed.name, parsed.args, caller);
    }
  }

  /** Runs a command with arguments already bound (Discord's structured options). */
  async run(name: string, args: Record<string, ArgValue | undefined>, caller: Caller): Promise<CommandResult> {
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
