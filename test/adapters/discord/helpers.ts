/**
 * A small command registry of our own (shaped like the real /basis, /curve, /alert) and a
 * harness that starts the Discord adapter against the fake Discord, with captured logs.
 */
import { captureLogger, type LogLine } from '../../helpers/captured-log.js';
import type { Command, CommandResult } from '../../../src/core/command.js';
import { Dispatcher } from '../../../src/core/dispatch.js';
import { errorReply, type Reply } from '../../../src/core/reply.js';
import type { Services } from '../../../src/core/services.js';
import { DiscordAdapter, type DiscordAdapterOptions } from '../../../src/adapters/discord/adapter.js';
import { startFakeDiscord, type FakeDiscord, type FakeInteraction, type RecordedCall } from '../../fakes/discord-server.js';


/** Most liquid first, as MarketService.knownAssets promises. */
export const ASSETS = ['BTC', 'ETH', 'SOL', 'XRP', 'DOGE', 'BNB', 'ADA', 'AVAX', 'LINK', 'DOT', 'TRX', 'TON', 'LTC', 'BCH',
  'NEAR', 'APT', 'ARB', 'OP', 'SUI', 'SEI', 'INJ', 'TIA', 'FIL', 'ETC', 'ATOM', 'UNI', 'AAVE', 'BTCDOM', 'WBTC', 'SHIB'];

export function fakeServices(options: { knownAssets?: () => Promise<string[]> } = {}): Services {
  return {
    market: {
      venues: () => ['binance', 'okx', 'bybit', 'deribit'],
      knownAssets: options.knownAssets ?? (async () => ASSETS),
      curves: async () => {
        throw new Error('not used by the adapter tests');
      },
      isCached: () => false,
      status: () => ({ venues: [], cache: { hits: 0, misses: 0, coalesced: 0, hitRate: 0 }, venueRequests: 0 }),
    },
    renderCurveChart: async () => Buffer.alloc(0),
    watchList: ['BTC'],
    startedAt: 0,
  };
}

// The smallest valid PNG signature plus a marker, enough to check the bytes arrive intact.
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('fake-chart')]);

const asset = { name: 'asset', description: 'Base asset, e.g. BTC', type: 'string', required: true, autocomplete: 'asset' } as const;
const venue = { name: 'venue', description: 'Only this venue', type: 'string', autocomplete: 'venue' } as const;

function unknownAsset(value: unknown): CommandResult | undefined {
  return ASSETS.includes(String(value).toUpperCase())
    ? undefined
    : { ok: false, reply: errorReply(`Unknown asset "${String(value)}".`, 'Try BTC, ETH or SOL.') };
}

/**
 * Test commands; `runs` counts calls so Refresh can be seen re-running. basis, curve and
 * alert list stand for commands that fetch quotes, so they say their answer is never cached
 * (the adapter then defers at once); a test passes `isCached` to the harness to change that.
 */
export function testCommands(options: { delayMs?: () => number } = {}): { commands: Command[]; runs: Map<string, number> } {
  const runs = new Map<string, number>();
  const wait = async (): Promise<void> => {
    const ms = options.delayMs?.() ?? 0;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  };
  const count = (name: string): number => {
    runs.set(name, (runs.get(name) ?? 0) + 1);
    return runs.get(name)!;
  };
  const basis: Command = {
    name: 'basis',
    description: 'Basis and annualized carry for an asset across venues, with the spot, perp and dated futures of each',
    options: [venue, asset, { name: 'sort', description: 'Order of rows', type: 'string', choices: ['expiry', 'rate'] }],
    isCached: () => false,
    async run(input) {
      const n = count('basis');
      await wait();
      const refused = unknownAsset(input.args.asset);
      if (refused) return refused;
      const reply: Reply = {
        title: `${String(input.args.asset).toUpperCase()} basis (run ${n})`,
        tone: 'contango',
        blocks: [
          { kind: 'text', text: 'Futures trade *above* spot: contango.' },
          { kind: 'table', head: ['Venue', 'Expiry', 'Ann.'], rows: [['binance', '26 Dec', '+8.1%'], ['okx', '26 Dec', '+7.9%']] },
          { kind: 'note', tone: 'info', text: 'Prices are bid/ask mids.' },
          { kind: 'fields', fields: [{ label: 'Spot', value: '100,000' }, { label: 'Run', value: String(n) }] },
        ],
        actions: [{ id: 'refresh', label: 'Refresh' }],
      };
      return { ok: true, reply };
    },
  };
  const curve: Command = {
    name: 'curve',
    description: 'Term structure chart',
    options: [asset],
    isCached: () => false,
    async run(input) {
      count('curve');
      await wait();
      const refused = unknownAsset(input.args.asset);
      if (refused) return refused;
      const name = `curve-${String(input.args.asset).toUpperCase()}.png`;
      return { ok: true, reply: { title: 'Curve', tone: 'backwardation', blocks: [], image: { name, png: PNG, alt: 'Annualized basis by expiry' } } };
    },
  };
  const add: Command = {
    name: 'add',
    description: 'Alert me when the basis crosses a level',
    options: [venue, asset, { name: 'above', description: 'Annualized percent', type: 'number', required: true, min: -100, max: 1000 }],
    async run(input) {
      count('alert add');
      return { ok: true, reply: { title: 'Alert added', blocks: [{ kind: 'text', text: `${String(input.args.asset)} above ${String(input.args.above)}%` }] } };
    },
  };
  const list: Command = {
    name: 'list',
    description: 'My alerts',
    options: [],
    isCached: () => false,
    async run() {
      count('alert list');
      return { ok: true, reply: { title: 'Your alerts', blocks: [{ kind: 'text', text: 'none' }] } };
    },
  };
  list.personal = true;
  const alert: Command = { name: 'alert', description: 'Basis alerts', options: [], subcommands: [add, list], run: async () => ({ ok: false, reply: errorReply('pick a subcommand') }) };
  return { commands: [basis, curve, alert], runs };
}

export interface Harness {
  fake: FakeDiscord;
  adapter: DiscordAdapter;
  dispatcher: Dispatcher;
  lines: LogLine[];
  runs: Map<string, number>;
  close(): Promise<void>;
}

export async function startHarness(
  options: Partial<DiscordAdapterOptions> & { delayMs?: () => number; commands?: Command[]; heartbeatIntervalMs?: number; services?: Partial<Services> } = {},
): Promise<Harness> {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: options.heartbeatIntervalMs });
  const { log, lines } = captureLogger();
  const registry = testCommands({ delayMs: options.delayMs });
  const services = options.services ?? fakeServices();
  const dispatcher = options.dispatcher ?? new Dispatcher(options.commands ?? registry.commands, { services: services as Services, now: Date.now }, log);
  const adapter = new DiscordAdapter({
    token: fake.token,
    guildId: fake.guildId,
    apiBase: fake.apiBase,
    log,
    ...options,
    dispatcher,
  });
  await adapter.start();
  return {
    fake,
    adapter,
    dispatcher,
    lines,
    runs: registry.runs,
    close: async () => {
      await adapter.stop();
      await fake.close();
    },
  };
}

/** Waits until the interaction's answer is complete: the original message is no longer loading. */
export async function settled(fake: FakeDiscord, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; calls: ${fake.calls.map((c) => `${c.method} ${c.path} ${c.status}`).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves when the interaction has its final answer: an immediate reply or a successful webhook edit/follow-up. */
export async function answered(fake: FakeDiscord, interaction: FakeInteraction, webhookCalls = 1): Promise<RecordedCall[]> {
  await settled(fake, () => {
    const record = fake.interactions.get(interaction.id)!;
    if ([4, 7, 8].includes(record.callbacks[0]) && webhookCalls <= 1) return true;
    return webhookCalls > 0 && webhookAnswers(fake, interaction).length >= webhookCalls;
  });
  return fake.callsFor(interaction);
}

/** Successful edits and follow-ups of an interaction's messages. */
export function webhookAnswers(fake: FakeDiscord, interaction: FakeInteraction): RecordedCall[] {
  return fake.callsFor(interaction).filter((call) => call.path.startsWith('/webhooks/') && ['PATCH', 'POST'].includes(call.method) && call.status === 200);
}

export function callbacks(fake: FakeDiscord, interaction: FakeInteraction): RecordedCall[] {
  return fake.callsFor(interaction).filter((call) => call.path.endsWith('/callback'));
}

export { captureLogger, type LogLine };
