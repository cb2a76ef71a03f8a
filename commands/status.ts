import type { Command } from '../src/core/command.js';
import { formatAge, formatPercent } from '../src/basis/format.js';

/** `/status`: venues, data age, cache hit rate, uptime — is the bot healthy? */
export const statusCommand: Command = {
  name: 'status',
  description: 'Bot health: venues, data age, cache hit rate, uptime',
  options: [],
  async run(_input, ctx) {
    const status = ctx.services.market.status();
    const uptimeMs = ctx.now() - ctx.services.startedAt;
    const rows = status.venues.map((venue) => [
      venue.venue,
      venue.marketsLoaded ? `loaded (${venue.marketsSource})` : 'not loaded',
      venue.dataAgeMs !== undefined ? formatAge(venue.dataAgeMs) : 'no data yet',
      venue.lastError ?? 'ok',
    ]);
    const healthy = status.venues.filter((venue) => !venue.lastError).length;
    return {
      ok: true,
      reply: {
        title: 'basisbot status',
        tone: healthy === status.venues.length ? 'neutral' : 'error',
        blocks: [
          { kind: 'table', head: ['Venue', 'Markets', 'Data age', 'Last error'], rows, align: ['left', 'left', 'right', 'left'] },
          {
            kind: 'fields',
            fields: [
              { label: 'Uptime', value: formatAge(uptimeMs) },
              { label: 'Cache hit rate', value: `${formatPercent(status.cache.hitRate, 1).replace('+', '')} (${status.cache.hits} hits, ${status.cache.coalesced} coalesced, ${status.cache.misses} misses)` },
              { label: 'Venue fetches', value: String(status.venueRequests) },
            ],
          },
        ],
      },
      data: { ...status, uptimeMs },
    };
  },
};
