/**
 * A clock a test sets: it runs at real speed from wherever the test put it, so pacing and
 * timeouts inside the app still see time pass, while slots, grace windows and days are
 * crossed by jumping, never by waiting. Share `now` with the app and the replay server.
 */
export interface MovableClock {
  now: () => number;
  /** Jumps to an instant (ms); the clock keeps running from there. */
  set: (at: number) => void;
}

export function movableClock(start: number): MovableClock {
  let offset = start - Date.now();
  return {
    now: () => Date.now() + offset,
    set: (at) => {
      offset = at - Date.now();
    },
  };
}
