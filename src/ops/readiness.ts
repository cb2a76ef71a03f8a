/**
 * Readiness: whether this process should get traffic now. Each check is an injected
 * function so the ops server knows nothing of markets, stores or chat platforms; the
 * factories below build the usual three from small views of those services.
 */

/** `true` when ready; `false` or a sentence saying what is missing when not. A throw counts as not ready. */
export type CheckOutcome = boolean | string;
export type ReadinessCheck = () => Promise<CheckOutcome> | CheckOutcome;

export interface CheckReport {
  ok: boolean;
  reason?: string;
}

export interface ReadinessReport {
  ready: boolean;
  /** Names of the checks that failed, so a probe's log line says what to look at. */
  notReady: string[];
  checks: Record<string, CheckReport>;
}

function timeout(ms: number): { promise: Promise<CheckOutcome>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${ms} ms`), ms);
    timer.unref();
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

async function runOne(check: ReadinessCheck, timeoutMs: number): Promise<CheckReport> {
  // A hung dependency (Redis retrying forever) must fail the probe, not hang it.
  const limit = timeout(timeoutMs);
  try {
    const outcome = await Promise.race([Promise.resolve().then(check), limit.promise]);
    if (outcome === true) return { ok: true };
    return { ok: false, reason: typeof outcome === 'string' ? outcome : 'not ready' };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  } finally {
    limit.cancel();
  }
}

/** Runs every check at once, each within timeoutMs. No checks means ready. */
export async function checkReadiness(checks: Record<string, ReadinessCheck>, timeoutMs = 2_000): Promise<ReadinessReport> {
  const names = Object.keys(checks);
  const reports = await Promise.all(names.map((name) => runOne(checks[name], timeoutMs)));
  const result: Record<string, CheckReport> = {};
  names.forEach((name, index) => (result[name] = reports[index]));
  const notReady = names.filter((name) => !result[name].ok);
  return { ready: notReady.length === 0, notReady, checks: result };
}

/**
 * Ready when at least one venue has its market list (from the venue or the on-disk cache):
 * one venue is enough to answer, and the reply names the venues that failed.
 * Pass `() => app.market.status()`.
 */
export function marketsLoaded(status: () => { venues: { venue: string; marketsLoaded: boolean; lastError?: string }[] }): ReadinessCheck {
  return () => {
    const { venues } = status();
    if (venues.some((venue) => venue.marketsLoaded)) return true;
    const why = venues.map((venue) => `${venue.venue}${venue.lastError ? ` (${venue.lastError})` : ''}`).join(', ');
    return `no venue has its markets loaded${why ? `: ${why}` : ''}`;
  };
}

/** Ready when the probe resolves, e.g. `() => app.stores.verify(1_500)`. */
export function storeReachable(probe: () => Promise<unknown>): ReadinessCheck {
  return async () => {
    await probe();
    return true;
  };
}

/** Ready when every chat adapter that was started is connected; names those that are not. */
export function adaptersConnected(adapters: () => { platform: string; connected: boolean }[]): ReadinessCheck {
  return () => {
    const list = adapters();
    if (list.length === 0) return 'no chat adapter is running';
    const down = list.filter((adapter) => !adapter.connected).map((adapter) => adapter.platform);
    return down.length === 0 ? true : `not connected: ${down.join(', ')}`;
  };
}
