import type { ReplayUniverse } from './universe.js';

// Placeholder until the snapshot builder lands.
export function loadBundledUniverse(): (now: number) => ReplayUniverse {
  return (now) => ({ asOf: now, instruments: [] });
}
