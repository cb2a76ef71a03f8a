import type { Command, CommandContext, CommandInput, CommandResult, OptionSpec } from '../src/core/command.js';
import { errorReply, type Block } from '../src/core/reply.js';
import { chatTarget, type DigestsApi, type ScheduleView } from '../src/digests/index.js';
import { describeWhen, setText } from '../src/digests/schedule-spec.js';
import { formatDateInZone, formatInZone } from '../src/digests/zones.js';

/**
 * `/digest set|show|now|off`: a scheduled basis digest for this chat. `set` takes three string
 * options so a Discord form and a typed line bind alike: the service joins them back into one
 * line and reads it by form (`08:00 Europe/Berlin BTC ETH` or `cron:"0 8 * * 1-5" BTC`).
 */
const SET_OPTIONS: OptionSpec[] = [
  { name: 'when', description: 'HH:MM (24-hour) or cron:"<5-field expression>", at most hourly', type: 'string', required: true },
  { name: 'timezone', description: 'IANA zone, e.g. Europe/Berlin (default: the bot\'s digest zone)', type: 'string' },
  { name: 'assets', description: 'Assets, e.g. BTC ETH SOL (default: the watch list)', type: 'string', rest: true },
];

const notWired: CommandResult = { ok: false, reply: errorReply('Digests are not available in this session.') };

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const mayChange = (input: CommandInput) => input.chat.kind === 'private' || input.isAdmin === true;

/** `Thu, 3 Dec 2026, 08:00 JST (23:00 UTC)`; the UTC date too when it is another day there. */
function nextRun(at: number, timezone: string): string {
  const sameDay = formatDateInZone(at, timezone) === formatDateInZone(at, 'UTC');
  return `${formatInZone(at, timezone)} (${formatInZone(at, 'UTC', !sameDay)})`;
}

/** The schedule restated: when, in which zone, which assets, and the next run in the chat's zone and in UTC. */
function scheduleBlocks(view: ScheduleView): Block[] {
  const next = view.nextRuns[0];
  const assets = `${view.assets.join(', ')}${view.watchList ? ' (the watch list)' : ''}`;
  const blocks: Block[] = [
    { kind: 'text', text: `${capitalised(describeWhen(view))} in ${view.timezone}: ${assets}.` },
    { kind: 'fields', fields: [{ label: 'Next digest', value: next === undefined ? 'none scheduled' : nextRun(next, view.timezone) }] },
  ];
  if (view.paused) {
    blocks.push({ kind: 'note', tone: 'warn', text: `Paused: this chat stopped accepting messages (${view.paused.reason}) on ${formatInZone(view.paused.at, 'UTC')}. /digest set resumes it.` });
  }
  return blocks;
}

function viewData(view: ScheduleView) {
  return { ...view, nextRuns: view.nextRuns.map((ms) => new Date(ms).toISOString()) };
}

function subcommand(name: string, description: string, options: OptionSpec[], handle: (digests: DigestsApi, input: CommandInput, ctx: CommandContext) => Promise<CommandResult>, changes = false): Command {
  return {
    name,
    description,
    options,
    async run(input, ctx) {
      const digests = ctx.services.digests;
      if (!digests) return notWired;
      if (changes && !mayChange(input)) {
        const right = input.platform === 'discord' ? ' (on Discord, someone with the Manage Channels permission)' : '';
        return { ok: false, reply: errorReply(`Only an admin of this chat${right} can change its digest.`, 'Anyone can use /digest show and /digest now; ask an admin for /digest set or /digest off.') };
      }
      return handle(digests, input, ctx);
    },
  };
}

const setCommand = subcommand(
  'set',
  'Schedule this chat\'s digest: /digest set 08:00 Europe/Berlin BTC ETH SOL',
  SET_OPTIONS,
  async (digests, input) => {
    const outcome = await digests.set(chatTarget(input), setText(input.args), input.user.id);
    if (!outcome.ok) return { ok: false, reply: errorReply(outcome.error, outcome.hint), data: { error: outcome.error } };
    const blocks = scheduleBlocks(outcome.view);
    if (outcome.view.resumed) blocks.push({ kind: 'note', tone: 'info', text: 'Resumed: this chat had been paused as unreachable.' });
    return { ok: true, reply: { title: 'Digest scheduled', tone: 'neutral', blocks }, data: viewData(outcome.view) };
  },
  true,
);

const showCommand = subcommand('show', 'This chat\'s digest schedule and its next run', [], async (digests, input, ctx) => {
  const target = chatTarget(input);
  const view = await digests.show(target);
  if (view) return { ok: true, reply: { title: 'Digest schedule', tone: 'neutral', blocks: scheduleBlocks(view) }, data: viewData(view) };
  const blocks: Block[] = [{ kind: 'text', text: 'No digest is scheduled for this chat. Set one with /digest set 08:00 Europe/Berlin BTC ETH SOL.' }];
  if (ctx.services.push?.isUnreachable(target)) blocks.push({ kind: 'note', tone: 'warn', text: 'This chat is marked unreachable: pushed messages to it are paused.' });
  return { ok: true, reply: { title: 'Digest schedule', tone: 'neutral', blocks }, data: { scheduled: false } };
});

const nowCommand: Command = {
  ...subcommand('now', 'This chat\'s digest, right now (the schedule is unchanged)', [], async (digests, input) => ({
    ok: true,
    reply: await digests.preview(chatTarget(input)),
  })),
  // It asks the venues for every watched asset and draws a chart: a Discord answer must be deferred.
  isCached: () => false,
};

const offCommand = subcommand(
  'off',
  'Stop this chat\'s digest',
  [],
  async (digests, input) => {
    const existed = await digests.off(chatTarget(input));
    const text = existed ? 'Digest turned off for this chat.' : 'No digest was scheduled for this chat.';
    return { ok: true, reply: { title: 'Digest', tone: 'neutral', blocks: [{ kind: 'text', text }] }, data: { removed: existed } };
  },
  true,
);

/** `/digest set|show|now|off`. */
export const digestCommand: Command = {
  name: 'digest',
  description: 'A scheduled basis digest for this chat: set, show, now, off',
  options: [],
  subcommands: [setCommand, showCommand, nowCommand, offCommand],
  async run() {
    return { ok: false, reply: errorReply('Choose one of: set, show, now, off.', 'Example: /digest set 08:00 Europe/Berlin BTC ETH SOL') };
  },
};
