import type { AlertsApi, ParseError, RuleView } from '../src/alerts/index.js';
import { describeOptions, describePoint, describeRule, parseAddWords, ruleActions } from '../src/alerts/index.js';
import { cleanWord, parsePercent, quote } from '../src/alerts/parse.js';
import type { ArgValue, Command, CommandContext, CommandInput, CommandResult, OptionSpec } from '../src/core/command.js';
import { errorReply, type Block, type Reply, type ReplyAction } from '../src/core/reply.js';

/**
 * `/alert add|list|remove|pause|resume`. The add options are typed for Discord (asset and venue
 * autocomplete), but every optional one is a plain string read by form, so a Telegram or
 * console line binds its words to the slots in any order and the parser sorts them out.
 */
const ADD_OPTIONS: OptionSpec[] = [
  { name: 'asset', description: 'Base asset ticker, e.g. SOL', type: 'string', required: true, autocomplete: 'asset' },
  { name: 'metric', description: 'apr, basis, funding, spread or state', type: 'string', required: true, choices: ['apr', 'basis', 'funding', 'spread', 'state'] },
  { name: 'direction', description: 'above, below or crosses (default crosses)', type: 'string' },
  { name: 'value', description: 'Threshold in percent, e.g. 5% or -1.5', type: 'string' },
  { name: 'venue', description: 'Only this venue (default: any venue)', type: 'string', autocomplete: 'venue' },
  { name: 'tenor', description: 'perp, front (default), next, or an expiry YYYY-MM-DD', type: 'string' },
  // `here` sits before cooldown and band: a text line's 7th free word is `here`, while
  // cooldown= and band= always arrive by name.
  { name: 'here', description: 'Type "here" to post into this chat instead of a DM (admins)', type: 'string' },
  { name: 'cooldown', description: 'Minimum time between messages, e.g. 30m (default 1h, min 1m)', type: 'string' },
  { name: 'band', description: 'How far back past the threshold re-arms, e.g. 0.5%', type: 'string' },
];

const ID_OPTION: OptionSpec = { name: 'id', description: 'Alert id from /alert list, or all', type: 'string', required: true };

const HERE_WORDS = /^(here|yes|true|on|1)$/i;
/** The slots whose words are sorted by form (cooldown and band are read by name). */
const FREE_SLOTS = ['direction', 'value', 'venue', 'tenor'] as const;

function alertsOf(ctx: CommandContext): AlertsApi | undefined {
  return ctx.services.alerts;
}

const notWired: CommandResult = { ok: false, reply: errorReply('Alerts are not available in this session.') };

function parseError(error: ParseError): CommandResult {
  return { ok: false, reply: errorReply(`${error.field}: ${error.message}.`, error.hint ?? 'Usage: /alert add <asset> <metric> [above|below|crosses] <value> [venue] [tenor] [cooldown=1h] [band=1%] [here]'), data: { error } };
}

/** Adds the one-time "your alerts were paused" notice to any /alert reply. */
async function withNotice(alerts: AlertsApi, input: CommandInput, result: CommandResult): Promise<CommandResult> {
  const notice = await alerts.takeNotice(input);
  if (!notice) return result;
  return { ...result, reply: { ...result.reply, blocks: [{ kind: 'note', tone: 'warn', text: notice }, ...result.reply.blocks] } };
}

function subcommand(name: string, description: string, options: OptionSpec[], handle: (alerts: AlertsApi, input: CommandInput, ctx: CommandContext) => Promise<CommandResult>, personal = false): Command {
  return {
    name,
    description,
    options,
    personal,
    async run(input, ctx) {
      const alerts = alertsOf(ctx);
      if (!alerts) return notWired;
      return withNotice(alerts, input, await handle(alerts, input, ctx));
    },
  };
}

const text = (args: Record<string, ArgValue | undefined>, name: string): string | undefined => {
  const value = args[name];
  return value === undefined || value === '' ? undefined : String(value);
};

async function add(alerts: AlertsApi, input: CommandInput, ctx: CommandContext): Promise<CommandResult> {
  const words = FREE_SLOTS.map((slot) => text(input.args, slot)).filter((word): word is string => word !== undefined);
  // Discord's typed value slot holds only a value: say so by name rather than "not a direction, value…".
  const typedValue = input.platform === 'discord' ? cleanWord(text(input.args, 'value') ?? '') : '';
  if (typedValue && parsePercent(typedValue) === undefined) {
    return parseError({ field: 'value', message: `"${quote(typedValue)}" is not a number`, hint: 'Write a percent such as 2%, -1.5 or 0.25%.' });
  }
  const here = input.args['here'];
  if (here === true || (typeof here === 'string' && HERE_WORDS.test(here.trim()))) words.push('here');
  else if (typeof here === 'string' && here.trim() && !/^(no|false|off|0)$/i.test(here.trim())) words.push(here);
  const parsed = parseAddWords(
    { asset: String(input.args['asset'] ?? ''), metric: String(input.args['metric'] ?? ''), words, cooldown: text(input.args, 'cooldown'), band: text(input.args, 'band') },
    ctx.services.market.venues(),
  );
  if ('error' in parsed) return parseError(parsed.error);
  const outcome = await alerts.add(input, parsed.spec);
  if (!outcome.ok) return parseError(outcome.error);
  const { rule, current, holds } = outcome;
  const blocks: Block[] = [
    { kind: 'text', text: `Alert #${rule.id}: ${describeRule(rule.spec)}.` },
    { kind: 'fields', fields: [{ label: 'now', value: current.map(describePoint).join('; ') }, { label: 'options', value: describeOptions(rule.spec, rule.target) }] },
  ];
  if (holds.length > 0) {
    blocks.push({ kind: 'note', tone: 'info', text: `It already holds on ${holds.map((p) => p.key).join(', ')}: this counts as its first crossing, so the next message needs the value to move back by the band and cross again.` });
  }
  return { ok: true, reply: { title: `Alert #${rule.id} saved`, tone: 'neutral', blocks, actions: ruleActions(rule.id) }, data: { id: rule.id, spec: rule.spec, current, holds } };
}

/** At most 12 rules get buttons: Discord takes 25 per message and two per rule fit. */
function listActions(views: readonly RuleView[]): ReplyAction[] {
  return views.slice(0, 12).flatMap(({ rule }) => [
    rule.status === 'active' ? { id: `/alert pause ${rule.id}`, label: `Pause #${rule.id}` } : { id: `/alert resume ${rule.id}`, label: `Resume #${rule.id}` },
    { id: `/alert remove ${rule.id}`, label: `Remove #${rule.id}` },
  ]);
}

async function list(alerts: AlertsApi, input: CommandInput): Promise<CommandResult> {
  const views = await alerts.list(input);
  if (views.length === 0) {
    return { ok: true, reply: { title: 'Your alerts', tone: 'neutral', blocks: [{ kind: 'text', text: 'You have no alerts. Add one with /alert add SOL apr above 0%.' }] }, data: { alerts: [] } };
  }
  const reply: Reply = {
    title: `Your alerts (${views.length} of ${alerts.perUser})`,
    tone: 'neutral',
    blocks: [
      {
        kind: 'table',
        head: ['#', 'Rule', 'Status', 'Now'],
        rows: views.map((view) => [String(view.rule.id), describeRule(view.rule.spec), view.status, view.current.map(describePoint).join('; ') || 'n/a']),
        align: ['right', 'left', 'left', 'left'],
      },
    ],
    actions: listActions(views),
  };
  return { ok: true, reply, data: { alerts: views.map((view) => ({ id: view.rule.id, spec: view.rule.spec, status: view.status, current: view.current })) } };
}

const PAST: Record<'pause' | 'resume' | 'remove', string> = { pause: 'Paused', resume: 'Resumed', remove: 'Removed' };

function changer(action: 'pause' | 'resume' | 'remove') {
  return async (alerts: AlertsApi, input: CommandInput): Promise<CommandResult> => {
    const outcome = await alerts.change(input, action, String(input.args['id'] ?? ''));
    if (!outcome.ok) return parseError(outcome.error);
    const what = outcome.ids.length === 0 ? 'nothing: you have no alerts' : outcome.ids.map((id) => `#${id}`).join(', ');
    return { ok: true, reply: { tone: 'neutral', blocks: [{ kind: 'text', text: `${PAST[action]} ${what}.` }] }, data: { ids: outcome.ids } };
  };
}

export const alertCommand: Command = {
  name: 'alert',
  description: 'Alerts on basis, funding, spread or market state, sent when a threshold is crossed',
  options: [],
  subcommands: [
    subcommand('add', 'Add an alert: <asset> <metric> [above|below|crosses] <value> [venue] [tenor] [cooldown=] [band=] [here]', ADD_OPTIONS, add),
    subcommand('list', 'Your alerts: rule, status and current value', [], list, true),
    subcommand('remove', 'Remove an alert (or all)', [ID_OPTION], changer('remove')),
    subcommand('pause', 'Pause an alert (or all)', [ID_OPTION], changer('pause')),
    subcommand('resume', 'Resume a paused alert (or all)', [ID_OPTION], changer('resume')),
  ],
  async run() {
    return { ok: false, reply: errorReply('Choose one of: add, list, remove, pause, resume.', 'Example: /alert add SOL apr above 0%') };
  },
};
