import { describe, expect, test, vi } from 'vitest';
import { Autocompleter, CachedList, MAX_SUGGESTIONS, rankSuggestions } from '../../../src/adapters/discord/autocomplete.js';
import { decodeCustomId, encodeCustomId } from '../../../src/adapters/discord/custom-id.js';
import { captureLogger } from './helpers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('rankSuggestions', () => {
  const liquid = ['BTC', 'ETH', 'SOL', 'WBTC', 'BNB', 'BTCDOM', 'sol-usd'];

  test('prefix matches first, then matches anywhere, each group in liquidity order, case-insensitively', () => {
    expect(rankSuggestions('bt', liquid)).toEqual(['BTC', 'BTCDOM', 'WBTC']);
    expect(rankSuggestions('SOL', liquid)).toEqual(['SOL', 'sol-usd']);
    expect(rankSuggestions('  ', liquid)).toEqual(liquid);
    expect(rankSuggestions('zzz', liquid)).toEqual([]);
  });

  test('never more than 25 and no duplicates', () => {
    const many = Array.from({ length: 60 }, (_, index) => `A${index}`);
    expect(rankSuggestions('a', [...many, ...many])).toHaveLength(MAX_SUGGESTIONS);
    expect(new Set(rankSuggestions('a', [...many, ...many])).size).toBe(MAX_SUGGESTIONS);
  });
});

describe('CachedList', () => {
  test('a slow first load answers empty at the deadline, then serves the loaded list; one load at a time', async () => {
    // Fake timers: the deadline and the slow load run on virtual time, so a busy machine
    // cannot move the answer past an elapsed-time bound. What is checked is the order.
    vi.useFakeTimers();
    try {
      let loads = 0;
      let loaded = false;
      const list = new CachedList(async () => {
        loads += 1;
        await sleep(200);
        loaded = true;
        return ['BTC'];
      }, { deadlineMs: 50, now: () => Date.now() });
      let answers: string[][] | undefined;
      const pending = Promise.all([list.get(), list.get()]).then((both) => (answers = both));
      await vi.advanceTimersByTimeAsync(49);
      expect(answers).toBeUndefined(); // still inside the deadline
      await vi.advanceTimersByTimeAsync(1);
      await pending;
      expect(answers).toEqual([[], []]); // answered empty at the deadline...
      expect(loaded).toBe(false); // ...while the load was still running
      await vi.advanceTimersByTimeAsync(150);
      expect(loaded).toBe(true);
      expect(await list.get()).toEqual(['BTC']);
      expect(loads).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  test('a failed reload keeps the last good list and logs', async () => {
    let now = 0;
    let fail = false;
    const { log, lines } = captureLogger();
    const list = new CachedList(async () => {
      if (fail) throw new Error('venue down');
      return ['ETH'];
    }, { maxAgeMs: 1_000, now: () => now, log, name: 'asset' });
    expect(await list.get()).toEqual(['ETH']);
    fail = true;
    now = 5_000;
    expect(await list.get()).toEqual(['ETH']);
    expect(lines.some((line) => line.list === 'asset' && String(line.msg).includes('failed to load'))).toBe(true);
  });
});

describe('Autocompleter', () => {
  const completer = new Autocompleter({ asset: new CachedList(() => ['BTC', 'ETH', 'BTCDOM']) });

  test('uses the list named by the option and answers name/value pairs', async () => {
    expect(await completer.suggest({ name: 'asset', description: '', type: 'string', autocomplete: 'asset' }, 'b')).toEqual([
      { name: 'BTC', value: 'BTC' },
      { name: 'BTCDOM', value: 'BTCDOM' },
    ]);
  });

  test('a long choice list is searched itself, with numeric values for numeric options', async () => {
    const choices = Array.from({ length: 40 }, (_, index) => String(index * 5));
    const suggestions = await completer.suggest({ name: 'days', description: '', type: 'integer', choices }, '1');
    expect(suggestions.slice(0, 3)).toEqual([{ name: '10', value: 10 }, { name: '15', value: 15 }, { name: '100', value: 100 }]);
  });

  test('an option without autocomplete, or a list nobody provided, suggests nothing', async () => {
    expect(await completer.suggest({ name: 'x', description: '', type: 'string' }, 'b')).toEqual([]);
    expect(await completer.suggest({ name: 'v', description: '', type: 'string', autocomplete: 'venue' }, 'b')).toEqual([]);
  });
});

describe('button custom ids', () => {
  test('round-trip the action, the command (subcommands too) and its arguments', () => {
    const id = encodeCustomId({ actionId: 'refresh', command: 'alert add', args: { asset: 'BTC', above: 12.5, dm: true, venue: undefined } });
    expect(id).toBe('refresh:alert add:{"asset":"BTC","above":12.5,"dm":true}');
    expect(decodeCustomId(id!)).toEqual({ actionId: 'refresh', command: 'alert add', args: { asset: 'BTC', above: 12.5, dm: true } });
  });

  test('arguments that do not fit in 100 characters give no id', () => {
    expect(encodeCustomId({ actionId: 'refresh', command: 'explain', args: { term: 'x'.repeat(90) } })).toBeUndefined();
  });

  test.each(['garbage', 'refresh:basis:', 'refresh:basis:[1]', 'refresh:basis:{"a":{"b":1}}', 'Refresh:basis:{}', 'refresh:ba:sis:{}'])(
    'rejects %s',
    (customId) => {
      expect(decodeCustomId(customId)).toBeUndefined();
    },
  );
});
