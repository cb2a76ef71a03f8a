/**
 * What `/alert` can do, per caller: add (validated against the live market), list, pause,
 * resume, remove, and the one-time "your alerts were paused" notice. Returns facts; the command
 * turns them into replies.
 */
import type { Target } from '../core/adapter.js';
import type { Caller } from '../core/command.js';
import type { MarketService } from '../core/services.js';
import type { PushService } from '../delivery/push.js';
import { NoVenueAnsweredError, UnknownAssetError } from '../market/errors.js';
import type { CurveSet } from '../market/types.js';
import type { AlertBook } from './book.js';
import { validateAgainstMarket } from './market-check.js';
import { conditionHolds, cooledDown, initialStateTrack, initialTrack } from './machine.js';
import { extractSeries, type SeriesPoint } from './metrics.js';
import type { ParseError } from './parse.js';
import { ownerKey, type AlertRecord, type RuleSpec } from './types.js';

export type AddOutcome =
  | { ok: true; rule: AlertRecord; current: SeriesPoint[]; holds: SeriesPoint[] }
  | { ok: false; error: ParseError };

export type RuleView = { rule: AlertRecord; status: string; current: SeriesPoint[] };

export type ChangeAction = 'pause' | 'resume' | 'remove';
export type ChangeOutcome = { ok: true; ids: number[] } | { ok: false; error: ParseError };

export interface AlertsApiDeps {
  book: AlertBook;
  market: MarketService;
  push: PushService;
  now: () => number;
  perUser: number;
}

const caller = (input: Caller): string => ownerKey({ platform: input.platform, userId: input.user.id });
const noSuchAlert = (id: string): ChangeOutcome => ({ ok: false, error: { field: 'id', message: `no such alert: ${id.slice(0, 20)}`, hint: 'See your alerts with /alert list.' } });

/** Where a caller's alerts go: their DM by default, the chat with `here`. */
export function deliveryTarget(input: Caller, here: boolean): Target {
  if (input.platform === 'console') return { platform: 'console', chatId: 'console' };
  if (here) return { platform: input.platform, chatId: input.chat.id, kind: input.chat.kind };
  // A private chat's id is the user's id on Telegram; Discord sends DMs to the user id.
  return input.platform === 'discord' ? { platform: 'discord', chatId: input.user.id, dm: true } : { platform: input.platform, chatId: input.user.id, kind: 'private' };
}

export class AlertsApiImpl {
  constructor(private readonly deps: AlertsApiDeps) {}

  async add(input: Caller, spec: RuleSpec): Promise<AddOutcome> {
    const { book, market, push, now } = this.deps;
    const owner = caller(input);
    if (book.ownedBy(owner).length >= this.deps.perUser) {
      return { ok: false, error: { field: 'limit', message: `you have ${this.deps.perUser} alerts, the most allowed`, hint: 'Remove one with /alert remove <id>.' } };
    }
    if (spec.here && input.chat.kind === 'group' && !input.isAdmin) {
      return { ok: false, error: { field: 'here', message: 'only an admin of this chat can have alerts posted here', hint: 'Drop "here" to get the alert by direct message.' } };
    }
    const checked = await validateAgainstMarket(market, spec);
    if ('error' in checked) return { ok: false, error: checked.error };
    const target = deliveryTarget(input, spec.here);
    if (!spec.here && input.platform !== 'console' && (await push.canReach(target)) === false) {
      const where = input.chat.kind === 'group' ? ' Or add "here" to post it into this chat (admins only).' : '';
      return {
        ok: false,
        error: { field: 'delivery', message: 'I cannot send you a direct message yet, so the alert was not saved', hint: `Open a private chat with me and press Start, then add it again.${where}` },
      };
    }
    const at = now();
    const rule: AlertRecord = {
      id: await book.repo.allocateId(),
      owner: { platform: input.platform, userId: input.user.id },
      target,
      spec,
      createdAt: at,
      status: 'active',
      tracks: {},
      seq: 0,
      pending: [],
      ...(checked.expiresAt !== undefined ? { expiresAt: checked.expiresAt } : {}),
    };
    const holds: SeriesPoint[] = [];
    for (const point of checked.points) {
      rule.tracks[point.key] = spec.metric === 'state' ? initialStateTrack(point.state) : initialTrack(spec, point.value);
      if (spec.metric !== 'state' && conditionHolds(spec, point.value)) holds.push(point);
    }
    // Already true: said once in the add reply, and it counts as fired (cooldown included).
    if (holds.length > 0) rule.lastFiredAt = at;
    await book.insert(rule);
    return { ok: true, rule, current: checked.points, holds };
  }

  async list(input: Caller): Promise<RuleView[]> {
    const rules = this.deps.book.ownedBy(caller(input));
    const sets = new Map<string, CurveSet | undefined>();
    for (const asset of new Set(rules.map((rule) => rule.spec.asset))) sets.set(asset, await this.curvesOrNothing(asset));
    return rules.map((rule) => {
      const set = sets.get(rule.spec.asset);
      const current = set ? extractSeries(set, rule.spec.metric, rule.spec.tenor).filter((p) => !rule.spec.venue || p.key === rule.spec.venue) : [];
      return { rule, status: this.statusOf(rule), current };
    });
  }

  /** Pause, resume or remove one alert by id, or all of the caller's. */
  async change(input: Caller, action: ChangeAction, which: string): Promise<ChangeOutcome> {
    const { book, push } = this.deps;
    const owner = caller(input);
    const word = which.trim().toLowerCase();
    let rules: AlertRecord[];
    if (word === 'all') rules = book.ownedBy(owner);
    else {
      const rule = /^#?\d{1,12}$/.test(word) ? book.find(owner, Number(word.replace('#', ''))) : undefined;
      if (!rule) return noSuchAlert(which);
      rules = [rule];
    }
    for (const rule of rules) {
      if (action === 'remove') await book.drop(rule);
      else if (action === 'pause' && rule.status === 'active') await book.setStatus(rule, 'paused');
      else if (action === 'resume' && rule.status !== 'active') {
        if (rule.status === 'unreachable') {
          if ((await push.canReach(rule.target)) === false) {
            return { ok: false, error: { field: 'delivery', message: 'I still cannot reach the chat these alerts go to', hint: 'Open a private chat with me and press Start, then resume.' } };
          }
          await push.markReachable(rule.target);
        }
        // A quiet resume: what happened while paused is not a crossing; the next tick re-reads each side.
        rule.tracks = {};
        await book.setStatus(rule, 'active');
      }
    }
    return { ok: true, ids: rules.map((rule) => rule.id) };
  }

  /** "Your alerts were paused because …", once, cleared as it is read. */
  async takeNotice(input: Caller): Promise<string | undefined> {
    const notice = await this.deps.book.repo.takeNotice(caller(input));
    if (!notice) return undefined;
    return `Your alerts were paused on ${new Date(notice.at).toISOString().slice(0, 16).replace('T', ' ')} UTC because I could not deliver them (${notice.reason.slice(0, 120)}). Resume them with /alert resume all.`;
  }

  statusOf(rule: AlertRecord): string {
    if (rule.status === 'paused') return 'paused';
    if (rule.status === 'unreachable') return 'target unreachable';
    if (rule.lastFiredAt === undefined) return 'armed';
    if (!cooledDown(rule.lastFiredAt, rule.spec.cooldownMs, this.deps.now())) return 'cooling down';
    const armed = Object.values(rule.tracks).some((track) => track.from !== undefined || track.state !== undefined);
    const fired = `fired at ${new Date(rule.lastFiredAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    return armed ? `armed (last ${fired})` : fired;
  }

  private async curvesOrNothing(asset: string): Promise<CurveSet | undefined> {
    try {
      return await this.deps.market.curves(asset);
    } catch (error) {
      if (error instanceof UnknownAssetError || error instanceof NoVenueAnsweredError) return undefined;
      throw error;
    }
  }
}
