import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { MAX_LINE_LENGTH, parseCommandLine } from '../../src/core/parse.js';

describe('option binding (issue 11 item 15)', () => {
  it('refuses --n with no value instead of reading it as 0', () => {
    expect(parseCommandLine('/top --n', COMMANDS)).toMatchObject({ kind: 'usage-error', message: '--n needs a value' });
    expect(parseCommandLine('/basis --venue --asset BTC', COMMANDS)).toMatchObject({ kind: 'usage-error', message: '--venue needs a value' });
    expect(parseCommandLine('/top --n 3', COMMANDS)).toMatchObject({ kind: 'command', args: { n: 3 } });
  });

  it('does not let an option the command lacks swallow the next word', () => {
    expect(parseCommandLine('/top --venue 3', COMMANDS)).toMatchObject({ kind: 'usage-error', message: '/top has no option --venue (options: n)' });
    expect(parseCommandLine('/status --venue okx', COMMANDS)).toMatchObject({ kind: 'usage-error', message: '/status has no option --venue (it takes no options)' });
    // The inline form of a name no option has stays a plain word.
    expect(parseCommandLine('/explain cash:carry', COMMANDS)).toMatchObject({ kind: 'command', args: { term: 'cash:carry' } });
  });
});

describe('line length cap (issue 11 item 8)', () => {
  it('refuses an over-long line before tokenizing it, without echoing it', () => {
    const word = 'x'.repeat(200_000);
    const parsed = parseCommandLine(`/basis ${word}`, COMMANDS);
    expect(parsed).toMatchObject({ kind: 'usage-error', message: `the line is too long (200007 characters; at most ${MAX_LINE_LENGTH})` });
    expect(parseCommandLine(`/${'a'.repeat(5_000)}`, COMMANDS)).toEqual({ kind: 'unknown-command', name: `${'a'.repeat(40)}…` });
    expect(parseCommandLine(`hello ${word}`, COMMANDS)).toEqual({ kind: 'ignore' });
    expect(parseCommandLine(`/basis@otherbot ${word}`, COMMANDS, 'basisbot')).toEqual({ kind: 'ignore' });
    expect(parseCommandLine(`/basis ${'B'.repeat(MAX_LINE_LENGTH - 7)}`, COMMANDS)).toMatchObject({ kind: 'command' });
  });

  it('cuts user text echoed in errors to 40 characters', () => {
    const parsed = parseCommandLine(`/top ${'9'.repeat(500)}x`, COMMANDS);
    expect(parsed).toMatchObject({ kind: 'usage-error', message: `n must be a whole number, not "${'9'.repeat(40)}…"` });
    const extra = parseCommandLine(`/basis BTC okx 1m ${'y'.repeat(500)}`, COMMANDS);
    expect(extra).toMatchObject({ kind: 'usage-error', message: `unexpected "${'y'.repeat(40)}…"` });
  });
});
