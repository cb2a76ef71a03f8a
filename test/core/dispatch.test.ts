import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Command, CommandContext } from '../../src/core/command.js';
import { Dispatcher } from '../../src/core/dispatch.js';
import { CONSOLE_CALLER } from '../../src/adapters/console/session.js';

const context = {} as CommandContext;
const log = pino({ level: 'silent' });

function counting(shared: boolean): { command: Command; runs: () => number } {
  let runs = 0;
  const command: Command = {
    name: 'echo',
    description: 'echo',
    options: [{ name: 'word', description: 'word', type: 'string' }],
    sharedAnswer: shared,
    async run(input) {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { ok: true, reply: { blocks: [{ kind: 'text', text: String(input.args['word']) }] } };
    },
  };
  return { command, runs: () => runs };
}

describe('Dispatcher', () => {
  it('shares one run among identical calls in flight when the answer is the same for everyone', async () => {
    const { command, runs } = counting(true);
    const dispatcher = new Dispatcher([command], context, log);
    const results = await Promise.all([...Array(50).fill('/echo a'), '/echo b'].map((line) => dispatcher.handleText(line, CONSOLE_CALLER)));
    expect(runs()).toBe(2);
    expect(results.filter((result) => JSON.stringify(result?.reply).includes('"a"'))).toHaveLength(50);
    await dispatcher.handleText('/echo a', CONSOLE_CALLER);
    expect(runs()).toBe(3); // nothing is cached once the run is over
  });

  it('runs every call of a command that does not share its answer', async () => {
    const { command, runs } = counting(false);
    const dispatcher = new Dispatcher([command], context, log);
    await Promise.all(Array.from({ length: 5 }, () => dispatcher.handleText('/echo a', CONSOLE_CALLER)));
    expect(runs()).toBe(5);
  });

  it('turns a handler that throws into an apology, not a crash', async () => {
    const broken: Command = { name: 'boom', description: 'boom', options: [], run: async () => Promise.reject(new Error('kaput')) };
    const result = await new Dispatcher([broken], context, log).handleText('/boom', CONSOLE_CALLER);
    expect(result).toMatchObject({ ok: false, reply: { tone: 'error' } });
    expect(JSON.stringify(result?.reply)).not.toContain('kaput');
  });
});
