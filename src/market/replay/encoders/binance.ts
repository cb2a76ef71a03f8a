import type { VenueEncoder } from '../universe.js';

// Placeholder until the venue's wire format lands.
export const binanceEncoder: VenueEncoder = { venue: 'binance', hosts: [], handle: () => undefined };
