import type { VenueEncoder } from '../universe.js';
import { binanceEncoder } from './binance.js';
import { bybitEncoder } from './bybit.js';
import { deribitEncoder } from './deribit.js';
import { okxEncoder } from './okx.js';

export const ENCODERS: VenueEncoder[] = [binanceEncoder, okxEncoder, bybitEncoder, deribitEncoder];
