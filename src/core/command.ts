import type { Reply } from './reply.js';
import type { Services } from './services.js';

export type Platform = 'discord' | 'telegram' | 'console';

/** One argument of a slash command, in a form every platform can register. */
export interface OptionSpec {
  name: string;
  description: string;
  type: 'string' | 'integer' | 'number' | 'boolean';
  required?: boolean;
  choices?: string[];
  /** Dynamic suggestions (Discord autocomplete, close-match hints elsewhere). */
  autocomplete?: 'asset' | 'venue' | 'term';
  min?: number;
  max?: number;
  /** The last option may take the rest of a text line (`/explain reverse cash and carry`). */
  rest?: boolean;
}

export type ArgValue = string | number | boolean;

/** Who is asking, and from where: what every adapter resolves before dispatching. */
export interface Caller {
  user: { id: string; name?: string };
  chat: { id: string; kind: 'private' | 'group' };
  platform: Platform;
  /** The Discord server (guild) the command came from; undefined in a DM and on other platforms. ALLOWED_CHATS matches it. */
  guildId?: string;
  /**
   * The caller may administer this chat: Telegram getChatMember (creator/administrator),
   * Discord Manage Channels; always true in a private chat and the console. Commands that
   * change a chat's settings (/digest set, /alert add … here) decide with this one flag.
   */
  isAdmin?: boolean;
}

export interface CommandInput extends Caller {
  /** Command name, e.g. `basis` (for a subcommand, `alert add`). */
  command: string;
  args: Record<string, ArgValue | undefined>;
}

export interface CommandContext {
  services: Services;
  /** The clock every number is stamped with; tests and the replay share it. */
  now: () => number;
}

export interface CommandResult {
  /** False for a user error (unknown asset, bad arguments): the CLI exits non-zero. */
  ok: boolean;
  reply: Reply;
  /** The typed numbers behind the reply (`basisbot ask --json`). */
  data?: unknown;
}

/** A guard returns an error reply to refuse the call, or undefined to let it through. */
export type Guard = (input: CommandInput, ctx: CommandContext) => Promise<Reply | undefined> | Reply | undefined;

/** A platform-neutral slash command: metadata, guards and a handler. */
export interface Command {
  name: string;
  description: string;
  options: OptionSpec[];
  subcommands?: Command[];
  /** Replies only the caller should see (their own alert list): ephemeral on Discord. */
  personal?: boolean;
  /**
   * The answer depends only on the arguments (not on who asks), so identical calls in
   * flight at the same moment can share one run: a burst of `/basis BTC` builds one reply.
   */
  sharedAnswer?: boolean;
  guards?: Guard[];
  /**
   * Whether the answer can be built from cached data alone (no venue round trip), so a
   * platform with a reply deadline (Discord's 3 s) can answer at once instead of deferring.
   * Commands without it never touch a venue.
   */
  isCached?(args: Record<string, ArgValue | undefined>, ctx: CommandContext): boolean;
  run(input: CommandInput, ctx: CommandContext): Promise<CommandResult>;
}
