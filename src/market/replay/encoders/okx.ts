import type { VenueEncoder } from '../universe.js';

// Placeholder until the venue's wire format lands.
export const okxEncoder: VenueEncoder = { venue: 'okx', hosts: [], handle: () => undefined };
