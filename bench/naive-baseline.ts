import ccxt, { type Exchange } from 'ccxt';
import { setTimeout as sleep } from 'node:timers/promises';
import { createExchange } from '../src/market/exchange-factory.js';
import { selectInstruments } from '../src/market/instruments.js';
import { SUPPORTED_VENUES } from '../src/market/types.js';

export interface NaiveOptions {
  /**
   * 'ccxt' (default): ccxt as shipped, its one built-in limiter per exchange, which is what
   * an OSS bot runs. 'off': no limiter, for loads it cannot pace (a live venue answers 429).
   */
  limiter?: 'ccxt' | 'off';
  /** Retries of one ticker after a 429/418 (ccxt: RateLimitExceeded, DDoSProtection). */
  retries?: number;
}

/** ccxt's limiter as it sits on the instance (not in its typings). */
interface ThrottlerState {
  throttler?: { config: { tokens: number } };
}

/**
 * What a typical open-source ccxt bot does for `/basis BTC`: one exchange per venue with
 * ccxt's defaults, one fetchTicker per contract per query, no shared cache, no coalescing,
 * and a retry with backoff after a 429.
 */
export class NaiveBasisBot {
  private readonly exchanges: Exchange[];
  private readonly retries: number;

  constructor(baseUrl: string, options: NaiveOptions = {}) {
    this.retries = options.retries ?? 3;
    this.exchanges = SUPPORTED_VENUES.map((venue) => createExchange(venue, { baseUrl, timeoutMs: 30_000, limiter: options.limiter ?? 'ccxt' }));
  }

  async warmMarkets(): Promise<void> {
    await Promise.all(this.exchanges.map((exchange) => exchange.loadMarkets()));
  }

  /** One query: every contract of the asset on every venue, ticker by ticker; false if any failed. */
  async basis(asset: string): Promise<boolean> {
    const perVenue = await Promise.all(
      this.exchanges.map(async (exchange) => {
        const { spot, perp, futures } = selectInstruments(Object.values(exchange.markets ?? {}), asset, Date.now());
        const symbols = [spot, perp, ...futures].flatMap((market) => (market ? [market.symbol] : []));
        const tickers = await Promise.allSettled(symbols.map((symbol) => this.ticker(exchange, symbol)));
        return tickers.every((ticker) => ticker.status === 'fulfilled');
      }),
    );
    return perVenue.every(Boolean);
  }

  /** Requests one contract's ticker as these bots do: with ccxt's pacing, retrying after a 429. */
  private async ticker(exchange: Exchange, symbol: string): Promise<unknown> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await exchange.fetchTicker(symbol);
      } catch (error) {
        const limited = error instanceof ccxt.RateLimitExceeded || error instanceof ccxt.DDoSProtection;
        if (!limited || attempt >= this.retries) throw error;
        await sleep(1_000 * 2 ** attempt);
      }
    }
  }

  /**
   * Ends a run the bot could not keep up with: every request still waiting in ccxt's
   * limiter goes at once, so the bench does not sit through minutes of backlog.
   */
  releaseBacklog(): void {
    for (const exchange of this.exchanges) {
      const throttler = (exchange as unknown as ThrottlerState).throttler;
      if (throttler) throttler.config.tokens = Number.POSITIVE_INFINITY;
    }
  }
}
