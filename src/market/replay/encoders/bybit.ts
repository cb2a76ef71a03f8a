import type { VenueEncoder } from '../universe.js';

// Placeholder until the venue's wire format lands.
export const bybitEncoder: VenueEncoder = { venue: 'bybit', hosts: [], handle: () => undefined };
