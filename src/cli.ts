import { parseArgs } from 'node:util';
import { ConfigError } from './config.js';
import { renderForConsole } from './render/console.js';
import { CONSOLE_CALLER, asCommandLine, saveImage } from './adapters/console/session.js';
import { runRepl } from './adapters/console/repl.js';
import { parseFaultList } from './market/replay/faults.js';
import { startReplayServer } from './market/replay/server.js';
import { loadDotEnv, startRuntime, type MarketMode } from './runtime.js';

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

function marketMode(value: string | undefined, fallback: MarketMode): MarketMode {
  if (value === undefined) return fallback;
  if (value !== 'live' && value !== 'replay') throw new UsageError(`--market must be replay or live, not "${value}"`);
  return value;
}

class UsageError extends Error {}

async function ask(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, market: { type: 'string' } }, allowPositionals: true });
  if (positionals.length === 0) throw new UsageError('ask needs a command line, e.g. basisbot ask "/basis BTC"');
  const line = asCommandLine(positionals.join(' '));
  const runtime = await startRuntime(marketMode(values.market, 'live'), process.env, QUIET);
  try {
    const result = await runtime.app.dispatcher.handleText(line, CONSOLE_CALLER);
    if (!result) throw new UsageError(`not a command: ${line}`);
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
  const runtime = await startRuntime('replay', process.env, QUIET);
  try {
    await runRepl(runtime.app.dispatcher, {
      input: process.stdin,
      output: process.stdout,
      dataDir: runtime.app.config.dataDir,
      color: Boolean(process.stdout.isTTY),
      banner:
        'basisbot demo: a console chat on the bundled market replay (binance, okx, bybit, deribit served locally; no network).\n' +
        'Try: /basis BTC, /basis SOL, /curve ETH, /funding SOL, /top, /explain backwardation, /status. Type quit to leave.',
    });
    return 0;
  } finally {
    await runtime.close();
  }
}

async function replayServer(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, faults: { type: 'string' } } });
  const port = values.port === undefined ? 8787 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not "${values.port}"`);
  const server = await startReplayServer({ port, faults: parseFaultList(values.faults ?? '') });
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`basisbot: ${error.message}\n\n${USAGE}`);
    else if (error instanceof ConfigError) process.stderr.write(`basisbot: ${error.message}\n`);
    else process.stderr.write(`basisbot: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
