import fs from 'node:fs';
import os from 'node:os';
import { benchAlertEvaluation } from './alerts-eval.js';
import { benchBasisQueries, benchColdLimiter, benchColdStart } from './basis-queries.js';
import { benchSteadyLoad } from './steady-load.js';
import { benchDigestFanout } from './digests.js';
import { benchHistory } from './history.js';
import { benchProcessStart } from './process-start.js';
import { benchRendering } from './render.js';
import { benchReplicas } from './replicas.js';
import { markdownTable, type BenchRow } from './stats.js';
import { benchTelegramBroadcast } from './telegram-broadcast.js';
import { benchDiscordBroadcast } from './discord-broadcast.js';
import { benchDigestDelivery } from './digest-delivery.js';

/**
 * `npm run bench`: every scenario beside its naive baseline in the same run, printed as
 * one table and written to bench/RESULTS.md. BENCH_CHATS sets the broadcast size
 * (default 600, about 20 s at 30/s; the figure is 5,000).
 */
async function main(): Promise<void> {
  const chats = Number(process.env['BENCH_CHATS'] ?? 600);
  const rows: BenchRow[] = [];
  rows.push(...(await benchBasisQueries({ queries: 1_000, perSecond: 100, warmQueries: 1_000 })));
  rows.push(...(await benchColdLimiter()));
  rows.push(...(await benchSteadyLoad({ rates: [1, 10], seconds: 20 })));
  rows.push(...(await benchColdStart()));
  rows.push(...benchProcessStart());
  rows.push(...(await benchTelegramBroadcast({ chats })).rows);
  rows.push(...(await benchDiscordBroadcast({ chats })));
  rows.push(...(await benchDigestDelivery({ chats })));
  rows.push(...(await benchAlertEvaluation()));
  rows.push(...(await benchDigestFanout()));
  rows.push(...(await benchHistory()));
  rows.push(...(await benchRendering()));
  rows.push(...(await benchReplicas()));
  const table = markdownTable(rows);
  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const header = `# Benchmark results\n\nRun ${new Date().toISOString()} on ${machine}.\nCommand: \`npm run bench\` (BENCH_CHATS=${chats}). Venues are the bundled replay on 127.0.0.1; the naive baseline runs in the same process and run.\n`;
  process.stdout.write(`${table}\n`);
  if (process.env['BENCH_WRITE'] !== '0') fs.writeFileSync(new URL('./RESULTS.md', import.meta.url), `${header}\n${table}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
