import { describe, expect, it } from 'vitest';
import { CALLBACK_DATA_LIMIT, buildKeyboard, decodeCallbackData, refreshData, withRefresh } from '../../../src/adapters/telegram/keyboard.js';

describe('Telegram buttons', () => {
  it('encodes Refresh as r:<command line> and decodes it back', () => {
    const data = refreshData('  /basis   BTC  okx ');
    expect(data).toBe('r:/basis BTC okx');
    expect(decodeCallbackData(data)).toEqual({ kind: 'refresh', commandLine: '/basis BTC okx' });
  });

  it('counts the 64-byte limit in UTF-8 bytes and gives no button beyond it', () => {
    const fits = `/explain ${'a'.repeat(CALLBACK_DATA_LIMIT - 2 - 9)}`;
    expect(Buffer.byteLength(refreshData(fits)!)).toBe(CALLBACK_DATA_LIMIT);
    expect(refreshData(`${fits}a`)).toBeUndefined();
    // 20 three-byte characters: 20 characters but 60 bytes, plus "r:/x " = 65 bytes.
    expect(refreshData(`/x ${'€'.repeat(20)}`)).toBeUndefined();
    expect(buildKeyboard([{ id: 'refresh', label: 'Refresh' }], `${fits}a`)).toBeUndefined();
  });

  it('puts Refresh first, then reply actions as command-line buttons, three to a row', () => {
    const keyboard = buildKeyboard(
      [
        { id: 'refresh', label: 'Reload' },
        { id: 'curve BTC', label: 'Curve' },
        { id: '/funding BTC', label: 'Funding' },
        { id: 'explain contango', label: 'What is contango?' },
        { id: `x ${'y'.repeat(80)}`, label: 'too long to carry' },
      ],
      '/basis BTC',
    );
    expect(keyboard?.inline_keyboard).toEqual([
      [
        { text: 'Reload', callback_data: 'r:/basis BTC' },
        { text: 'Curve', callback_data: 'a:curve BTC' },
        { text: 'Funding', callback_data: 'a:/funding BTC' },
      ],
      [{ text: 'What is contango?', callback_data: 'a:explain contango' }],
    ]);
    expect(decodeCallbackData('a:curve BTC')).toEqual({ kind: 'action', commandLine: '/curve BTC' });
  });

  it('shows Refresh only when the reply asks for it, and keeps it after a failed refresh', () => {
    expect(buildKeyboard([], '/help')).toBeUndefined();
    expect(buildKeyboard(withRefresh(undefined), '/basis BTC')?.inline_keyboard).toEqual([[{ text: 'Refresh', callback_data: 'r:/basis BTC' }]]);
    const own = [{ id: 'refresh', label: 'Again' }];
    expect(withRefresh(own)).toBe(own);
  });

  it('leaves out Refresh without a command line and ignores data it did not write', () => {
    expect(buildKeyboard([{ id: 'refresh', label: 'Refresh' }])).toBeUndefined();
    expect(decodeCallbackData('zz')).toBeUndefined();
    expect(decodeCallbackData('r:')).toBeUndefined();
    expect(decodeCallbackData(undefined)).toBeUndefined();
  });
});
