import type { VenueEncoder } from '../universe.js';

// Placeholder until the venue's wire format lands.
export const deribitEncoder: VenueEncoder = { venue: 'deribit', hosts: [], handle: () => undefined };
