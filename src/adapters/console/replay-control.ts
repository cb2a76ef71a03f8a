/**
 * `replay …` lines in the demo: move the bundled market by hand so an alert can be seen to
 * fire (and not fire twice) without editing the snapshot. Amounts are typed in percentage
 * points a year, like `/alert` thresholds; the replay server takes fractions.
 */
import { parseShift, type ReplayShift } from '../../market/replay/shift.js';

/** What the demo needs of the replay server. */
export interface ReplayControl {
  shift(shift: ReplayShift): void;
  resetShifts(): void;
}

export const REPLAY_USAGE = [
  'Move the demo market (percentage points a year from the snapshot; a new shift replaces the last):',
  '  replay shift <asset> apr <±points> [venue]      e.g. replay shift SOL apr +30',
  '  replay shift <asset> funding <±points> [venue]  e.g. replay shift BTC funding -20 okx',
  '  replay reset                                    back to the snapshot',
  'Quotes are cached for a few seconds, so answers and alert checks follow within about 5 s.',
].join('\n');

const SHIFT = /^shift\s+(\S+)\s+(apr|funding)\s+([+-]?\d+(?:\.\d+)?)%?(?:\s+(\S+))?$/i;

/** The reply to a `replay …` line, or undefined when the line is not one (it goes to the bot). */
export function runReplayLine(line: string, replay: ReplayControl): string | undefined {
  const match = /^replay(?:\s+(.*))?$/i.exec(line.trim());
  if (!match) return undefined;
  const rest = (match[1] ?? '').trim();
  if (rest === '' || /^help$/i.test(rest)) return REPLAY_USAGE;
  if (/^reset$/i.test(rest)) {
    replay.resetShifts();
    return 'Replay market back to the snapshot.';
  }
  const shift = SHIFT.exec(rest);
  if (!shift) return `Could not read "replay ${rest}".\n${REPLAY_USAGE}`;
  const [, asset, metric, points, venue] = shift;
  const parsed = parseShift({ asset, venue: venue?.toLowerCase(), [metric!.toLowerCase()]: Number(points) / 100 });
  if ('error' in parsed) return `Replay shift refused: ${parsed.error}.`;
  replay.shift(parsed.shift);
  const signed = `${Number(points) >= 0 ? '+' : ''}${Number(points)}`;
  const where = parsed.shift.venue ?? 'every venue';
  const what = metric!.toLowerCase() === 'apr' ? 'annualized basis of every dated future' : 'annualized perp funding';
  // A new shift for the same asset and venue replaces the last one: the amount is from the snapshot.
  return `Replay: ${parsed.shift.asset} ${what} set ${signed} points from the snapshot on ${where}. Quotes follow within about 5 s.`;
}
