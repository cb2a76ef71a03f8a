/** The asset is not listed on the venues asked (all of them, or the one named). */
export class UnknownAssetError extends Error {
  constructor(
    readonly asset: string,
    readonly suggestions: string[],
    /** Other configured venues that do list it, when the question named one venue. */
    readonly listedOn: string[] = [],
    /**
     * Venues whose market list could not be read (down, or backing off), so they could not
     * be checked: the asset is unknown on every venue that could be.
     */
    readonly unchecked: { venue: string; error: string }[] = [],
  ) {
    super(`${asset} is not listed on the venues asked`);
  }
}

/**
 * A venue's market list failed to load recently and the next attempt is not due yet:
 * answered at once, without a request, so made-up assets cannot hammer a venue that is down.
 */
export class MarketListUnavailableError extends Error {
  constructor(
    readonly venue: string,
    readonly lastError: string,
    readonly retryInMs: number,
  ) {
    super(`market list unavailable (${lastError}); next try in ${Math.max(1, Math.ceil(retryInMs / 1000))} s`);
    this.name = 'MarketListUnavailable';
  }
}

/** Every venue failed, so nothing at all can be said about the asset. */
export class NoVenueAnsweredError extends Error {
  constructor(readonly failures: { venue: string; error: string }[]) {
    super(`no venue answered: ${failures.map((failure) => `${failure.venue} (${failure.error})`).join(', ')}`);
  }
}

/** A venue that did not answer within its time budget. */
export class VenueTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${(ms / 1000).toFixed(1)} s`);
    this.name = 'VenueTimeout';
  }
}

/** Rejects with VenueTimeoutError when `work` takes longer than `ms`. */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new VenueTimeoutError(ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
