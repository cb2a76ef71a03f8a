/**
 * Issue 11 "Done when": every command, driven through the dispatcher with hostile input,
 * and every renderer (console, Telegram, Discord): no crash and no control character in the
 * output. Nothing here is timed. Linearity is checked elsewhere: as counted work (code units
 * measured, no clock) in test/render/linear-work.test.ts, and as wall time in bench/render.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { CONSOLE_CALLER } from '../../src/adapters/console/session.js';
import { renderReply } from '../../src/adapters/discord/render.js';
import { renderForTelegram } from '../../src/adapters/telegram/render.js';
import type { Caller } from '../../src/core/dispatch.js';
import type { Reply } from '../../src/core/reply.js';
import { renderForConsole } from '../../src/render/console.js';
import { startReplayApp, type ReplayApp } from '../helpers/replay-app.js';

// C0 (but \n), DEL, C1, and the bidi overrides/isolates: none may reach a terminal or chat.
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

const CORPUS = [
  '',
  '\x1b]0;pwned\x07BTC',
  '\x1b[31mred\x1b[0m',
  'B\x00T\x07C\x08',
  '\u202eCTB',
  '\u009b31mX\u0085Y',
  '<b>bold</b> <a href="javascript:alert(1)">x</a> &amp; &lt;',
  '**bold** __u__ `code` ```fence``` @everyone <@123> ||spoiler||',
  '"unterminated quote',
  '--n',
  '--venue',
  '-1',
  'n:999999999999999999999',
  'NaN Infinity 1e309',
  '🚀'.repeat(300),
  'a\u0301'.repeat(200),
  '%s%n%x {{7*7}} ${process.exit()}',
  '../../../etc/passwd',
  'x'.repeat(5_000),
];

const TELEGRAM: Caller = { user: { id: 'u1', name: 'fuzzer' }, chat: { id: 'c1', kind: 'private' }, platform: 'telegram' };

function consoleText(reply: Reply): string {
  return renderForConsole(reply, { color: false });
}
function telegramText(reply: Reply): string {
  const rendering = renderForTelegram(reply);
  return [rendering.photo?.caption ?? '', ...rendering.messages].join('\n');
}
function discordText(reply: Reply): string {
  return JSON.stringify(renderReply(reply).map((message) => message.embeds));
}

/** Every user-visible string a renderer produced, for each platform. */
function renderAll(reply: Reply): string[] {
  return [consoleText(reply), telegramText(reply), discordText(reply)];
}

let replay: ReplayApp;
beforeAll(async () => {
  replay = await startReplayApp({ env: { VENUE_TIMEOUT_MS: '1500' } });
});
afterAll(async () => replay?.close());

describe('hostile input through the dispatcher and every renderer', () => {
  it('answers every command with every corpus entry without crashing or leaking controls', async () => {
    let runs = 0;
    for (const command of COMMANDS) {
      const names = command.subcommands?.length ? command.subcommands.map((sub) => `${command.name} ${sub.name}`) : [command.name];
      for (const name of names) {
        for (const input of CORPUS) {
          // The console and a chat platform: the console is exempt from the flood limit, so a
          // fresh Telegram user per line keeps the limit from hiding the command's own answer.
          for (const caller of [CONSOLE_CALLER, { ...TELEGRAM, user: { ...TELEGRAM.user, id: `u${runs}` } }]) {
            const result = await replay.app.dispatcher.handleText(`/${name} ${input}`, caller);
            runs += 1;
            if (!result) continue;
            // The dispatcher turns throws into "failed unexpectedly": that is a crash too.
            expect(consoleText(result.reply), `/${name} ${JSON.stringify(input)}`).not.toMatch(/failed unexpectedly/);
            for (const text of renderAll(result.reply)) expect(text, `/${name} ${JSON.stringify(input)}`).not.toMatch(CONTROL);
          }
        }
      }
    }
    expect(runs).toBeGreaterThan(COMMANDS.length * CORPUS.length);
  }, 120_000);

  it('renders hostile replies (every block kind) free of controls on every platform', () => {
    for (const text of CORPUS) {
      const reply: Reply = {
        title: text,
        tone: 'error',
        blocks: [
          { kind: 'text', text: `${text}\n\n${text}` },
          { kind: 'fields', fields: [{ label: text, value: text }] },
          { kind: 'table', title: text, head: [text, 'b'], rows: [[text, text]] },
          { kind: 'note', tone: 'warn', text },
        ],
        actions: [{ id: 'refresh', label: text }] as Reply['actions'],
      };
      for (const output of renderAll(reply)) expect(output, JSON.stringify(text.slice(0, 30))).not.toMatch(CONTROL);
    }
  });
  // Render time against input length is not asserted here: a timed ratio flaked on the loaded
  // CI box. See the header for where linearity is checked.

});
