import type { Exchange } from 'ccxt';
import { createExchange } from '../src/market/exchange-factory.js';
import { selectInstruments } from '../src/market/instruments.js';
import { SUPPORTED_VENUES } from '../src/market/types.js';

/**
 * What a typical ccxt bot does for `/basis BTC`: one fetchTicker per contract per query,
 * no shared cache, no coalescing. Its rate limiter is off, or 1,000 queries would queue
 * for minutes behind binance's 50 ms spacing (a live venue would ban it instead).
 */
export class NaiveBasisBot {
  private readonly exchanges: Exchange[];

  constructor(baseUrl: string) {
    this.exchanges = SUPPORTED_VENUES.map((venue) => {
      const exchange = createExchange(venue, { baseUrl, timeoutMs: 30_000 });
      exchange.enableRateLimit = false;
      return exchange;
    });
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
        const tickers = await Promise.allSettled(symbols.map((symbol) => exchange.fetchTicker(symbol)));
        return tickers.every((ticker) => ticker.status === 'fulfilled');
      }),
    );
    return perVenue.every(Boolean);
  }
}
