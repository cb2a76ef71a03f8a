import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runRepl } from '../../../src/adapters/console/repl.js';
import type { Dispatcher } from '../../../src/core/dispatch.js';

/** A dispatcher that answers every line with the same plain reply. */
const dispatcher = { handleText: async () => ({ ok: false, reply: { title: 'Unknown command.', blocks: [] } }) } as unknown as Dispatcher;

async function session(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const done = runRepl(dispatcher, { input, output, dataDir: '/tmp', color: false, banner: 'banner' });
  input.end(lines.join('\n') + '\n');
  await done;
  return chunks.join('');
}

describe('console echo of the typed line (issue 11 item 7)', () => {
  it('cleans escapes, C0/C1 controls, NUL and bidi overrides like replies', async () => {
    const hostile = [
      '/basis \x1b]0;pwned\x07BTC',
      '/basis \x1b[31mred\x1b[0m',
      '/basis B\x00T\x07C\x08',
      '/basis \u202eCTB',
      '/basis \u009b31mX\u0085Y',
    ];
    const out = await session(hostile);
    const echoes = out.split('\n').filter((line) => line.startsWith('basisbot> '));
    expect(echoes).toEqual(['basisbot> /basis BTC', 'basisbot> /basis red', 'basisbot> /basis BTC', 'basisbot> /basis CTB', 'basisbot> /basis XY']);
    expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
  });

  it('cuts the echo of a pasted 200 KB line to a readable head and its length (item 8)', async () => {
    const out = await session([`/status ${'x'.repeat(200_000)}`]);
    const echo = out.split('\n').find((line) => line.startsWith('basisbot> '))!;
    expect(echo).toBe(`basisbot> /status ${'x'.repeat(192)}… (200008 characters)`);
    expect(out.length).toBeLessThan(2_000);
  });
});
