/**
 * Suggestions while a user types an option (`/basis asset:bt` -> BTC, BTCDOM ...). Discord
 * drops an autocomplete answer that arrives after 3 seconds, and the asset list may need
 * the venues' market lists first: so each list is cached, refreshed in the background, and
 * a slow load is raced against a deadline, answering from the cache (or with nothing).
 */
import type { Logger } from 'pino';
import type { OptionSpec } from '../../core/command.js';
import { usesAutocomplete } from './register.js';
import { truncate } from './render.js';

export const MAX_SUGGESTIONS = 25;
const CHOICE_LIMIT = 100;

/**
 * Prefix matches first, then matches anywhere; within each group the candidates keep their
 * given order (most liquid first). Case-insensitive; an empty query lists the head of the list.
 */
export function rankSuggestions(query: string, candidates: readonly string[], limit = MAX_SUGGESTIONS): string[] {
  const needle = query.trim().toLowerCase();
  const seen = new Set<string>();
  const unique = candidates.filter((candidate) => !seen.has(candidate) && seen.add(candidate));
  if (!needle) return unique.slice(0, limit);
  const prefix = unique.filter((candidate) => candidate.toLowerCase().startsWith(needle));
  const inside = unique.filter((candidate) => !candidate.toLowerCase().startsWith(needle) && candidate.toLowerCase().includes(needle));
  return [...prefix, ...inside].slice(0, limit);
}

export interface CachedListOptions {
  /** How long a loaded list is served without reloading. */
  maxAgeMs?: number;
  /** How long a request waits for a load before answering from the cache. */
  deadlineMs?: number;
  log?: Logger;
  name?: string;
  now?: () => number;
}

/** A list that is loaded at most once at a time and never makes a caller wait past the deadline. */
export class CachedList {
  private values: string[] = [];
  private loadedAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;
  private readonly maxAgeMs: number;
  private readonly deadlineMs: number;
  private readonly now: () => number;

  constructor(
    private readonly load: () => Promise<readonly string[]> | readonly string[],
    private readonly options: CachedListOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.deadlineMs = options.deadlineMs ?? 1_500;
    this.now = options.now ?? Date.now;
  }

  private refresh(): Promise<void> {
    this.inFlight ??= (async () => {
      try {
        const loaded = await this.load();
        this.values = [...loaded];
        this.loadedAt = this.now();
      } catch (error) {
        this.options.log?.warn({ err: error, list: this.options.name }, 'autocomplete list failed to load; serving the cached one');
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  /** The freshest list available within the deadline; a late load still fills the cache. */
  async get(): Promise<string[]> {
    if (this.now() - this.loadedAt < this.maxAgeMs) return this.values;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.deadlineMs);
    });
    await Promise.race([this.refresh(), deadline]);
    clearTimeout(timer);
    return this.values;
  }
}

export type SuggestionKind = NonNullable<OptionSpec['autocomplete']>;

export interface Choice {
  name: string;
  value: string | number;
}

/** Picks the list for an option (its own long choice list, or asset/venue/term) and ranks it. */
export class Autocompleter {
  constructor(private readonly lists: Partial<Record<SuggestionKind, CachedList>>) {}

  async suggest(spec: OptionSpec, query: string): Promise<Choice[]> {
    if (!usesAutocomplete(spec)) return [];
    const candidates = spec.choices?.length ? spec.choices : ((await this.lists[spec.autocomplete!]?.get()) ?? []);
    const ranked = rankSuggestions(query, candidates);
    if (spec.type === 'string') return ranked.map((value) => ({ name: truncate(value, CHOICE_LIMIT), value: truncate(value, CHOICE_LIMIT) }));
    return ranked
      .map((value) => ({ name: truncate(value, CHOICE_LIMIT), value: Number(value) }))
      .filter((choice) => Number.isFinite(choice.value) && (spec.type === 'number' || Number.isInteger(choice.value)));
  }
}
