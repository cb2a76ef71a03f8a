import type { VenueId } from '../types.js';
import { binanceDriver } from './binance.js';
import { bybitDriver } from './bybit.js';
import { deribitDriver } from './deribit.js';
import type { VenueDriver } from './driver.js';
import { okxDriver } from './okx.js';

export const DRIVERS: Record<VenueId, VenueDriver> = {
  binance: binanceDriver,
  okx: okxDriver,
  bybit: bybitDriver,
  deribit: deribitDriver,
};
