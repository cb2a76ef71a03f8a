import { marketMode, parseAskArgs, parseReplayServerArgs, UsageError } from './cli-args.js';
import { ConfigError } from './config.js';
import { renderForConsole } from './render/console.js';
import { stripControls } from './render/table.js';
import { echo } from './core/parse.js';
import { CONSOLE_CALLER, asCommandLine, saveImage } from './adapters/console/session.js';
import { runReplayLine } from './adapters/console/replay-control.js';
import { runRepl } from './adapters/console/repl.js';
import { ConsoleAdapter } from './adapters/console/adapter.js';
import { parseFaultList } from './market/replay/faults.js';
import { startReplayServer } from './market/replay/server.js';
import { loadDotEnv, startRuntime } from './runtime.js';

const USAGE = `basisbot: the crypto futures basis in chat

Usage:
  basisbot demo                                   console chat on the bundled market replay (offline)
  basisbot ask [--json] [--market replay|live] "/basis BTC"
                                                  run one command and exit (non-zero on a user error)
  basisbot replay-server [--port N] [--faults okx=down,bybit=slow:5000]
                                                  serve the bundled snapshot in each venue's wire format
  basisbot start [--market replay|live]           run the chat adapters configured in the environment
`;

// The console is for people: keep the JSON logs to warnings unless asked otherwise.
const QUIET = { LOG_LEVEL: 'warn' };

async function ask(argv: string[]): Promise<number> {
  const values = parseAskArgs(argv);
  const line = asCommandLine(values.line);
  const runtime = await startRuntime(marketMode(values.market, 'live'), process.env, QUIET);
  try {
    const result = await runtime.app.dispatcher.handleText(line, CONSOLE_CALLER);
    // Cut: `ask` must never echo a pasted 100 KB back (issue 11 item 8).
    if (!result) throw new UsageError(`not a command: ${stripControls(echo(line))}`);
    if (values.json) {
      const image = result.reply.image;
      const reply = image ? { ...result.reply, image: { name: image.name, alt: image.alt, bytes: image.png.length, pngBase64: image.png.toString('base64') } } : result.reply;
      process.stdout.write(`${JSON.stringify({ ok: result.ok, command: line, reply, data: result.data ?? null }, null, 2)}\n`);
    } else {
      process.stdout.write(`${renderForConsole(result.reply, { color: Boolean(process.stdout.isTTY) })}\n`);
      const saved = await saveImage(result, runtime.app.config.dataDir);
      if (saved) process.stdout.write(`Chart saved to ${saved}\n`);
    }
    return result.ok ? 0 : 1;
  } finally {
    await runtime.close();
  }
}

async function demo(): Promise<number> {
  // A short alert check so an alert set in the demo fires within seconds (env still wins).
  const runtime = await startRuntime('replay', process.env, { ...QUIET, ALERT_CHECK_SECONDS: '5' });
  try {
    // The console is a chat platform for pushes: alerts and digests for `console` print
    // between prompts. Only the demo starts the push features; `ask` answers once and exits.
    runtime.app.connect(
      new ConsoleAdapter({ write: (text) => process.stdout.write(text), dataDir: runtime.app.config.dataDir, color: Boolean(process.stdout.isTTY) }),
    );
    await runtime.app.start();
    await runRepl(runtime.app.dispatcher, {
      input: process.stdin,
      output: process.stdout,
      dataDir: runtime.app.config.dataDir,
      color: Boolean(process.stdout.isTTY),
      banner:
        'basisbot demo: a console chat on the bundled market replay (binance, okx, bybit, deribit served locally; no network).\n' +
        'Try: /basis BTC, /basis SOL, /curve ETH, /funding SOL, /top, /explain backwardation, /status. Type quit to leave.\n' +
        'Alerts: /alert add SOL apr above 0%, then move the market with: replay shift SOL apr +30 (replay help for more).',
      local: (line) => (runtime.replay ? runReplayLine(line, runtime.replay) : undefined),
    });
    return 0;
  } finally {
    await runtime.close();
  }
}

async function replayServer(argv: string[]): Promise<number> {
  const { port, faults } = parseReplayServerArgs(argv);
  const server = await startReplayServer({ port, faults: parseFaultList(faults, '--faults') });
  process.stdout.write(`replay server on ${server.url}\nPoint basisbot at it with VENUE_BASE_URL=${server.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}

async function main(argv: string[]): Promise<number> {
  loadDotEnv();
  const [command, ...rest] = argv;
  switch (command) {
    case 'demo':
      return demo();
    case 'ask':
      return ask(rest);
    case 'replay-server':
      return replayServer(rest);
    case 'start': {
      const { start } = await import('./start.js');
      return start(rest);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** A config message on one line ("Invalid configuration: A: …; B: …"): easy to grep in a log. */
function oneLine(message: string): string {
  return message.replace(/:\n\s+/, ': ').replace(/\n\s*/g, '; ');
}

/** node:util parseArgs errors from a subcommand that parses its own flags (start). */
function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && String((error as NodeJS.ErrnoException).code ?? '').startsWith('ERR_PARSE_ARGS_');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Mistakes in flags or configuration are one line, never a stack: the user fixes a word, not code.
    if (error instanceof UsageError) process.stderr.write(`basisbot: ${error.message}\nRun "basisbot help" for usage.\n`);
    else if (error instanceof ConfigError) process.stderr.write(`basisbot: ${oneLine(error.message)}\n`);
    else if (isParseArgsError(error)) process.stderr.write(`basisbot: ${error.message.split(/\.\s|\n/)[0]}\nRun "basisbot help" for usage.\n`);
    else process.stderr.write(`basisbot: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
