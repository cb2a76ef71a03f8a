/**
 * Custom ids for command-line actions (`/alert pause 3`) next to the Refresh format.
 */
import { describe, expect, test } from 'vitest';
import { actionCustomId, CUSTOM_ID_LIMIT, decodeCommandLine, decodeCustomId, encodeCommandLine } from '../../../src/adapters/discord/custom-id.js';

describe('command-line custom ids', () => {
  test('carry the line itself, white space collapsed and control characters dropped', () => {
    expect(encodeCommandLine('  /alert   pause\t3 ')).toBe('/alert pause 3');
    expect(encodeCommandLine('/alert remove 3\u0007')).toBe('/alert remove 3');
    expect(decodeCommandLine('/alert pause 3')).toBe('/alert pause 3');
  });

  test('a line longer than Discord allows, or something that is not a line, gives no id', () => {
    expect(encodeCommandLine(`/${'x'.repeat(CUSTOM_ID_LIMIT)}`)).toBeUndefined();
    expect(encodeCommandLine(`/${'x'.repeat(CUSTOM_ID_LIMIT - 1)}`)).toHaveLength(CUSTOM_ID_LIMIT);
    expect(encodeCommandLine('alert pause 3')).toBeUndefined();
    expect(encodeCommandLine('/')).toBeUndefined();
  });

  test('never collide with Refresh ids, in either direction', () => {
    const refresh = actionCustomId({ id: 'refresh', label: 'Refresh' }, { command: 'basis', args: { asset: 'BTC' } })!;
    expect(decodeCustomId(refresh)).toEqual({ actionId: 'refresh', command: 'basis', args: { asset: 'BTC' } });
    expect(decodeCommandLine(refresh)).toBeUndefined();
    expect(decodeCustomId('/alert pause 3')).toBeUndefined();
  });

  test('actionCustomId: lines always, Refresh only with a command to re-run, other ids never', () => {
    expect(actionCustomId({ id: '/alert remove 3', label: 'Remove' })).toBe('/alert remove 3');
    expect(actionCustomId({ id: 'refresh', label: 'Refresh' })).toBeUndefined();
    expect(actionCustomId({ id: 'details', label: 'Details' }, { command: 'basis', args: {} })).toBeUndefined();
  });
});
