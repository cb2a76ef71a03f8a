/** IANA time zones: recognising them, suggesting close ones, and writing a time in one. */
import { closestMatches } from '../core/suggest.js';

let zoneList: string[] | undefined;

/** Every zone the runtime knows, plus UTC (which Intl lists only under its Etc/ aliases). */
export function knownZones(): string[] {
  zoneList ??= [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])];
  return zoneList;
}

/** The first parts of Region/City zones: Africa, America, … (Etc and bare names such as UTC left out). */
export function zoneRegions(): string[] {
  return [...new Set(knownZones().filter((zone) => zone.includes('/') && !zone.startsWith('Etc/')).map((zone) => zone.split('/')[0]))].sort();
}

/** The canonical spelling of a zone (`europe/berlin` → `Europe/Berlin`), or undefined when unknown. */
export function canonicalZone(text: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(text)) return undefined;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone;
    // Intl resolves case-insensitively but keeps the caller's case for some aliases: prefer the listed spelling.
    return knownZones().find((zone) => zone.toLowerCase() === text.toLowerCase()) ?? resolved;
  } catch {
    return undefined;
  }
}

/** Close zones for a typo (`Europe/Berlim`) or a bare city (`Berlin`, `new_york`). */
export function suggestZones(text: string, limit = 3): string[] {
  const zones = knownZones();
  const direct = closestMatches(text, zones, limit);
  if (direct.length > 0) return direct;
  const city = text.split('/').pop()!.replace(/ /g, '_');
  const byCity = new Map(zones.map((zone) => [zone.split('/').pop()!, zone]));
  return closestMatches(city, [...byCity.keys()], limit).map((name) => byCity.get(name)!);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `Wed 2 Dec 2026, 08:00 CET` in the zone; Intl formatters are costly, so they are kept per zone. */
export function formatInZone(ms: number, timeZone: string, withDate = true): string {
  const key = `${timeZone}\u0000${withDate}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      ...(withDate ? { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(key, formatter);
  }
  return formatter.format(new Date(ms));
}

/** `Tuesday, 1 December 2026`: the digest's title date, as the chat's zone sees it. */
export function formatDateInZone(ms: number, timeZone: string): string {
  const key = `${timeZone}\u0000date`;
  let formatter = formatters.get(key);
  if (!formatter) formatters.set(key, (formatter = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })));
  return formatter.format(new Date(ms));
}
