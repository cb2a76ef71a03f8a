import type { ArgValue, CommandContext, CommandInput, CommandResult, Guard, OptionSpec } from './command.js';
import { summarizeCurves, type StateSummary } from '../basis/explain.js';
import { errorReply, type Tone } from './reply.js';
import { NoVenueAnsweredError, UnknownAssetError } from '../market/errors.js';
import { SUPPORTED_VENUES, type CurveSet, type MarketState, type VenueId } from '../market/types.js';

/** The asset option shared by every market command. */
export const ASSET_OPTION: OptionSpec = {
  name: 'asset',
  description: 'Base asset ticker, e.g. BTC',
  type: 'string',
  required: true,
  autocomplete: 'asset',
};

/** Optional venue filter; choices are the venues basisbot supports. */
export const VENUE_OPTION: OptionSpec = {
  name: 'venue',
  description: 'Only this venue',
  type: 'string',
  choices: [...SUPPORTED_VENUES],
};

const TICKER = /^[A-Za-z0-9]{1,15}$/;

/** Whether text can be an asset ticker at all (letters and digits, as venues spell them). */
export function isTicker(text: string): boolean {
  return TICKER.test(text);
}

/** Refuses text that cannot be a ticker before any venue is asked (hostile or pasted text). */
export const assetGuard: Guard = (input) => {
  const asset = String(input.args['asset'] ?? '');
  if (isTicker(asset)) return undefined;
  const shown = asset.length > 40 ? `${asset.slice(0, 40)}…` : asset;
  return errorReply(`"${shown}" is not an asset ticker.`, 'Use a ticker of letters and digits, e.g. /basis BTC.');
};

/** Refuses a venue that is supported but not configured in VENUES. */
export const venueGuard: Guard = (input, ctx) => {
  const venue = input.args['venue'] as VenueId | undefined;
  if (venue === undefined || ctx.services.market.venues().includes(venue)) return undefined;
  return errorReply(`${venue} is not enabled here.`, `Enabled venues: ${ctx.services.market.venues().join(', ')}.`);
};

/** Command.isCached for the `<asset> [venue]` commands. */
export function assetVenueCached(args: Record<string, ArgValue | undefined>, ctx: CommandContext): boolean {
  const asset = args['asset'];
  return typeof asset === 'string' && isTicker(asset) && ctx.services.market.isCached(asset, args['venue'] as VenueId | undefined);
}

/** Options and guards of every `<asset> [venue]` command (/basis, /curve). */
export const ASSET_VENUE_OPTIONS: OptionSpec[] = [ASSET_OPTION, VENUE_OPTION];
export const ASSET_VENUE_GUARDS: Guard[] = [assetGuard, venueGuard];

/** The `<asset> [venue]` question answered: the curves, the venue asked for, and their summary. */
export async function queryAssetVenue(
  input: CommandInput,
  ctx: CommandContext,
): Promise<{ set: CurveSet; venue?: VenueId; summary: StateSummary } | { failed: CommandResult }> {
  const venue = input.args['venue'] as VenueId | undefined;
  const answer = await queryCurves(ctx, String(input.args['asset']), venue);
  if ('failed' in answer) return answer;
  return { set: answer.set, venue, summary: summarizeCurves(answer.set.curves) };
}

/**
 * Curves for an asset, or the user-facing error result when there is nothing to show:
 * unknown asset (with close matches) or every venue failing (each one named).
 */
export async function queryCurves(
  ctx: CommandContext,
  asset: string,
  venue?: VenueId,
): Promise<{ set: CurveSet } | { failed: CommandResult }> {
  try {
    return { set: await ctx.services.market.curves(asset, venue, { allowStale: true }) };
  } catch (error) {
    if (error instanceof UnknownAssetError) {
      const suggestion = error.listedOn.length
        ? `It is listed on ${error.listedOn.join(', ')}: ask without a venue, or name one of those.`
        : error.suggestions.length
          ? `Did you mean ${error.suggestions.join(', ')}?`
          : 'Check the ticker, e.g. BTC, ETH, SOL.';
      // Venues whose market list could not be read are named apart: they were not checked.
      const skipped = new Set(error.unchecked.map((failure) => failure.venue));
      const where = (venue ? [venue] : ctx.services.market.venues()).filter((name) => !skipped.has(name)).join(', ');
      const notChecked = error.unchecked.length ? `Could not check ${error.unchecked.map((failure) => `${failure.venue} (${failure.error})`).join(', ')}. ` : '';
      const text = error.listedOn.length ? `${error.asset} is not listed on ${where}.` : `Unknown asset ${error.asset}: not listed on ${where}.`;
      return {
        failed: {
          ok: false,
          reply: errorReply(text, notChecked + suggestion),
          data: { error: 'unknown-asset', suggestions: error.suggestions, listedOn: error.listedOn, unchecked: error.unchecked },
        },
      };
    }
    if (error instanceof NoVenueAnsweredError) {
      const lines = error.failures.map((failure) => `${failure.venue}: ${failure.error}`).join('; ');
      return { failed: { ok: false, reply: errorReply(`No venue answered for ${asset.toUpperCase()}.`, lines), data: { error: 'no-venue', failures: error.failures } } };
    }
    throw error;
  }
}

/** The reply colour for a market state: contango and backwardation have their own, the rest are neutral. */
export function toneForState(state: MarketState): Tone {
  return state === 'contango' || state === 'backwardation' ? state : 'neutral';
}
