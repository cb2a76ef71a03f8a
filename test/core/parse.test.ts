import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/core/command.js';
import { parseCommandLine, tokenize, usageLine } from '../../src/core/parse.js';
import { COMMANDS } from '../../commands/index.js';

const byName = (name: string) => COMMANDS.find((command) => command.name === name)!;

describe('command line parsing', () => {
  it('binds positional, named and Discord-style arguments', () => {
    const positional = parseCommandLine('/basis btc okx', COMMANDS);
    expect(positional).toMatchObject({ kind: 'command', name: 'basis', args: { asset: 'btc', venue: 'okx' } });
    expect(parseCommandLine('/basis venue:OKX asset:ETH', COMMANDS)).toMatchObject({ args: { asset: 'ETH', venue: 'okx' } });
    expect(parseCommandLine('/basis --venue bybit SOL', COMMANDS)).toMatchObject({ args: { asset: 'SOL', venue: 'bybit' } });
  });

  it('handles bot mentions in groups', () => {
    expect(parseCommandLine('/basis@basisbot BTC', COMMANDS, 'basisbot')).toMatchObject({ kind: 'command', args: { asset: 'BTC' } });
    expect(parseCommandLine('/basis@otherbot BTC', COMMANDS, 'basisbot')).toEqual({ kind: 'ignore' });
    expect(parseCommandLine('hello there', COMMANDS)).toEqual({ kind: 'ignore' });
  });

  it('explains malformed calls', () => {
    expect(parseCommandLine('/basis', COMMANDS)).toMatchObject({ kind: 'usage-error', message: 'asset is required' });
    expect(parseCommandLine('/basis BTC ftx', COMMANDS)).toMatchObject({ kind: 'usage-error', message: expect.stringMatching(/venue must be one of binance/) });
    expect(parseCommandLine('/basis BTC okex', COMMANDS)).toMatchObject({ message: expect.stringMatching(/did you mean okx\?/) });
    expect(parseCommandLine('/basis BTC okx 1m extra', COMMANDS)).toMatchObject({ kind: 'usage-error', message: 'unexpected "extra"' });
    expect(parseCommandLine('/top 2.5', COMMANDS)).toMatchObject({ kind: 'usage-error', message: expect.stringMatching(/whole number/) });
    expect(parseCommandLine('/top 50', COMMANDS)).toMatchObject({ kind: 'usage-error', message: 'n must be at most 20' });
    expect(parseCommandLine('/frobnicate', COMMANDS)).toEqual({ kind: 'unknown-command', name: 'frobnicate' });
  });

  it('lets a rest option take the remaining words and keeps quoted phrases', () => {
    expect(parseCommandLine('/explain reverse cash and carry', COMMANDS)).toMatchObject({ args: { term: 'reverse cash and carry' } });
    expect(tokenize('a "b c" d\u0007')).toEqual(['a', 'b c', 'd']);
  });

  it('writes usage lines from the option specs', () => {
    expect(usageLine(byName('basis'))).toBe('/basis <asset> [venue] [size]');
    expect(usageLine(byName('top'))).toBe('/top [n]');
    const withSubs: Command = { ...byName('top'), name: 'alert', subcommands: [{ ...byName('basis'), name: 'add' }] };
    expect(usageLine(withSubs)).toBe('/alert add <asset> [venue] [size]');
  });
});
