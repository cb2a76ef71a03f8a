/**
 * Test fixtures for the Telegram adapter: a logger whose lines can be inspected, a tiny
 * command registry (basis, curve, funding, help) that echoes its arguments back so escaping
 * can be checked, and a started adapter wired to the fake Bot API.
 */
import type { Logger } from 'pino';
import { captureLogger, type LogLine } from '../../helpers/captured-log.js';
import type { Command, CommandResult } from '../../../src/core/command.js';
import { Dispatcher } from '../../../src/core/dispatch.js';
import type { Services } from '../../../src/core/services.js';
import { TelegramAdapter, type TelegramAdapterOptions } from '../../../src/adapters/telegram/adapter.js';
import type { FakeTelegram } from '../../fakes/telegram-api.js';


/** A PNG signature plus a marker, enough for byte-for-byte comparison. */
export const TEST_PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('test-chart')]);

function reply(result: CommandResult['reply']): CommandResult {
  return { ok: true, reply: result };
}

/** Registry of five commands; `runs` counts calls so a refresh visibly changes the answer. */
export function testRegistry(): { commands: Command[]; runs: () => number } {
  let runs = 0;
  const asset = { name: 'asset', description: 'Asset, e.g. BTC', type: 'string' as const, required: true };
  const commands: Command[] = [
    {
      name: 'basis',
      description: 'Futures basis for an asset across venues',
      options: [asset, { name: 'venue', description: 'One venue', type: 'string', choices: ['binance', 'okx'] }],
      run: async (input) => {
        runs += 1;
        const name = String(input.args.asset);
        return reply({
          title: `${name} basis`,
          tone: 'contango',
          blocks: [
            { kind: 'table', head: ['venue', 'contract', 'annualized'], rows: [['binance', 'BTC-260327', '+8.12%'], ['okx', 'BTC-PERP', '+5.00%']] },
            { kind: 'text', text: `Asked for ${name} (run ${runs}).` },
            { kind: 'note', tone: 'warn', text: 'okx quote is 40 s old' },
          ],
          actions: [{ id: 'refresh', label: '🔄 Refresh' }],
        });
      },
    },
    {
      name: 'curve',
      description: 'Term structure chart',
      options: [asset],
      run: async (input) => {
        runs += 1;
        return reply({
          title: `${String(input.args.asset)} curve`,
          blocks: [{ kind: 'text', text: `Curve for ${String(input.args.asset)} (run ${runs}).` }],
          image: { name: `curve-${String(input.args.asset)}.png`, png: TEST_PNG, alt: 'term structure' },
          actions: [{ id: 'refresh', label: 'Refresh' }],
        });
      },
    },
    {
      name: 'funding',
      description: 'Perpetual funding rates',
      options: [asset],
      run: async (input) => reply({ title: `${String(input.args.asset)} funding`, blocks: [{ kind: 'fields', fields: [{ label: 'binance', value: '+0.0100% / 8h' }] }] }),
    },
    {
      name: 'report',
      description: 'A reply long enough to need two messages',
      options: [],
      run: async () => {
        runs += 1;
        const text = Array.from({ length: 100 }, (_, index) => `report line ${index} ${'r'.repeat(40)} (run ${runs})`).join('\n');
        return reply({ title: 'Report', blocks: [{ kind: 'text', text }], actions: [{ id: 'refresh', label: 'Refresh' }] });
      },
    },
    {
      name: 'help',
      description: 'What this bot can do',
      options: [],
      run: async () => reply({ title: 'Help', blocks: [{ kind: 'text', text: '/basis <asset> [venue]' }] }),
    },
  ];
  return { commands, runs: () => runs };
}

export function testDispatcher(commands: Command[], log: Logger): Dispatcher {
  return new Dispatcher(commands, { services: {} as Services, now: () => Date.now() }, log);
}

/** An adapter on the fake with the test registry; extra options override the defaults. */
export function adapterFor(telegram: FakeTelegram, log: Logger, options: Partial<TelegramAdapterOptions> = {}): TelegramAdapter {
  return new TelegramAdapter({
    token: telegram.token,
    apiRoot: telegram.apiRoot,
    dispatcher: testDispatcher(testRegistry().commands, log),
    log,
    ...options,
  });
}

/** The bot's messages to one chat, in order. */
export function sentTo(telegram: FakeTelegram, chatId: string | number) {
  return telegram.sent.filter((message) => message.chatId === String(chatId));
}

export { captureLogger, type LogLine };
