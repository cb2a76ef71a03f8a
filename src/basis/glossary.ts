/**
 * The words basisbot uses, defined in plain language, and a forgiving lookup so
 * `/explain contago` or `/explain cash_and_carry` still finds the entry.
 */
import { distance } from 'fastest-levenshtein';

export interface GlossaryEntry {
  term: string;
  aliases: string[];
  /** Two to four plain sentences. */
  definition: string;
  /** A worked example with numbers, where one helps. */
  example?: string;
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    term: 'basis',
    aliases: ['bases', 'futures basis', 'premium', 'spread to spot'],
    definition:
      'The difference between a future (or perpetual) price and the spot price: basis = F - S. It is often quoted as a fraction of spot, (F - S) / S. Positive basis means the future trades above spot, negative means below.',
    example: 'Spot BTC at 100,000 and the December future at 101,500: basis = 101,500 - 100,000 = +1,500, or +1.50% of spot.',
  },
  {
    term: 'contango',
    aliases: ['contangoed', 'upward sloping curve'],
    definition:
      'A market where futures trade above spot, and usually further above the longer they run. It is the normal state: holding the coin until expiry ties up capital, and traders pay a premium for leveraged long exposure.',
    example: 'Spot ETH at 3,000 and the three-month future at 3,045: the future is 45 (+1.50%) above spot.',
  },
  {
    term: 'backwardation',
    aliases: ['backwardated', 'inverted curve'],
    definition:
      'A market where spot trades above futures. It signals immediate demand for the coin or scarcity of it: people pay more to hold it now than to receive it later. Each future converges toward spot as its expiry nears.',
    example: 'Spot BTC at 100,000 and the future at 98,800: basis = -1,200, or -1.20% of spot.',
  },
  {
    term: 'convergence',
    aliases: ['converge', 'basis convergence'],
    definition:
      'A dated future settles at the spot index at expiry, so its basis shrinks to zero by then. Convergence is what a carry trade earns: the gap you lock in at entry closes by expiry.',
    example: 'A future 1,500 above spot with 60 days left settles at the index on expiry day: the 1,500 premium has gone to zero.',
  },
  {
    term: 'cash-and-carry',
    aliases: ['cash and carry trade', 'basis trade', 'carry trade', 'cash carry'],
    definition:
      'The trade for contango: buy spot and sell the future in the same size, then hold both until expiry. The price risk cancels out and the premium of the future over spot is earned as it converges. Costs are fees, capital and the margin the short future needs.',
    example: 'Buy 1 BTC at 100,000 and sell the 90-day future at 102,000: the 2,000 gap is 2.00% by expiry, 2% x 365 / 90 = 8.11% annualized, before fees.',
  },
  {
    term: 'reverse cash-and-carry',
    aliases: ['reverse cash and carry trade', 'reverse carry', 'reverse basis trade'],
    definition:
      'The trade for backwardation: buy the cheaper future and sell (borrow) spot, then hold until expiry. The future converges up to spot and the discount is earned. It needs the coin to be borrowable, and the borrow rate is a cost.',
    example: 'Borrow and sell 1 BTC at 100,000 and buy the 60-day future at 99,000: the 1,000 gap is 1.00% by expiry, 1% x 365 / 60 = 6.08% annualized, minus borrow cost.',
  },
  {
    term: 'funding rate',
    aliases: ['funding', 'funding fee', 'perp funding'],
    definition:
      'The periodic payment between longs and shorts of a perpetual swap that keeps its price near spot. When it is positive longs pay shorts, when negative shorts pay longs. Venues pay it every 1, 4 or 8 hours, so compare rates per 8h or annualized.',
    example: '0.01% every 8 hours is 0.01% x 3 x 365 = 10.95% a year; a 100,000 long pays 10 at each funding time.',
  },
  {
    term: 'basis risk',
    aliases: ['spread risk'],
    definition:
      'The risk that the basis moves against a carry trade before it converges. The basis can widen, for example when spot deleverages or a rally drives futures up, and the mark-to-market loss can call for margin or force an early exit at a loss.',
    example: 'You sell a future at +1,500 over spot; a rally pushes the basis to +3,000: you are down 1,500 on paper although holding to expiry would still pay the original 1,500.',
  },
  {
    term: 'supply squeeze',
    aliases: ['squeeze'],
    definition:
      'A shortage of the coin available now: holders will not sell or lend it, so spot trades above anything deliverable later. Steep backwardation together with negative funding is the typical sign. Squeezes can end abruptly.',
    example: 'Front future at -15% annualized and funding at -0.03% per 8h: shorts pay longs and the future trades well under spot.',
  },
  {
    term: 'annualized basis',
    aliases: ['annualised basis', 'annualized rate', 'basis apr', 'apr', 'annualized'],
    definition:
      'The basis rate scaled to a year so contracts with different expiries compare: basis rate x 365 / days to expiry (simple, not compounded). It is what a carry trade would earn per year if repeated on the same terms.',
    example: 'A basis of +1.5% with 45 days to expiry: 1.5% x 365 / 45 = 12.17% a year.',
  },
  {
    term: 'mark price',
    aliases: ['mark'],
    definition:
      'The price a venue uses to value positions and trigger liquidations, built from the index plus a smoothed basis so one large trade cannot liquidate everyone. basisbot uses it when a contract has no sane bid/ask midpoint.',
  },
  {
    term: 'index price',
    aliases: ['index', 'spot index', 'settlement index'],
    definition:
      'An average of the spot price on several exchanges, published by the venue. Dated futures settle against it at expiry and mark prices are built from it, so one exchange cannot move settlement alone.',
  },
  {
    term: 'perpetual swap',
    aliases: ['perpetual', 'perp', 'perpetual future', 'swap'],
    definition:
      'A future with no expiry. Instead of converging at a settlement date, it is pulled toward spot by funding payments between longs and shorts. Its premium over spot is a live read of leveraged demand.',
    example: 'BTC/USDT:USDT is the USDT-margined perpetual on BTC.',
  },
  {
    term: 'dated future',
    aliases: ['future', 'futures contract', 'quarterly', 'delivery future', 'expiring future'],
    definition:
      'A contract to buy or sell the coin at a set date at the price agreed now. It settles against the index at expiry, which is why its basis converges to zero. Weekly, monthly and quarterly expiries form the term structure.',
    example: 'BTC/USDT:USDT-261225 expires on 25 December 2026 and settles against the BTC index.',
  },
  {
    term: 'days to expiry',
    aliases: ['dte', 'time to expiry', 'tenor', 'expiry'],
    definition:
      'The time left until a dated future settles, in fractional days. It is the denominator of the annualized basis, so very short tenors make small gaps look huge: basisbot ignores contracts under one day when it judges the curve.',
    example: 'From 1 March 00:00 UTC to a 27 March 08:00 UTC expiry: 26 days and 8 hours = 26.33 days.',
  },
];

/** Words a question wraps around the term: "what is contango?" looks up "contango". */
const FILLER = /^(what\s+is|what's|whats|what\s+are|define|explain|meaning\s+of|the|an|a)\s+/;

/** "ss", "is" and "us" endings are not plurals ("basis", "bonus"). */
function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !/(ss|is|us)$/.test(word) ? word.slice(0, -1) : word;
}

/**
 * One canonical key per spelling: lower case, no punctuation, plurals singular, and no
 * separators at all, so "Cash_and-Carry", "cash and carry" and "cashandcarry" agree.
 */
export function normalizeTerm(text: string): string {
  let words = text.toLowerCase().replace(/[-_/]+/g, ' ').replace(/[^a-z0-9' ]+/g, ' ').trim().replace(/\s+/g, ' ');
  for (let previous = ''; previous !== words; ) {
    previous = words;
    words = words.replace(FILLER, '');
  }
  return words.split(' ').map(singular).join('').replace(/'/g, '');
}

const INDEX = GLOSSARY.map((entry) => ({
  entry,
  keys: [entry.term, ...entry.aliases].map(normalizeTerm),
}));

/** How many typos a query of this length may carry and still match one entry outright. */
function tolerance(length: number): number {
  if (length <= 3) return 0;
  if (length <= 5) return 1;
  if (length <= 9) return 2;
  return 3;
}

const MAX_SUGGESTIONS = 5;

/**
 * Finds a glossary entry by term or alias, ignoring case, separators, plurals and small
 * misspellings. When no entry is a clear match, returns the terms that come closest
 * (containing the query, or a few edits away) so the caller can ask "did you mean".
 */
export function lookupTerm(text: string): GlossaryEntry | { suggestions: string[] } {
  const query = normalizeTerm(text);
  if (query.length === 0) return { suggestions: [] };
  const ranked = INDEX.map(({ entry, keys }) => ({
    entry,
    keys,
    distance: Math.min(...keys.map((key) => distance(query, key))),
  })).sort((a, b) => a.distance - b.distance);
  const [best, second] = ranked;
  if (best.distance === 0) return best.entry;
  const unambiguous = !second || second.distance > best.distance;
  if (best.distance <= tolerance(query.length) && unambiguous) return best.entry;

  // Terms that contain the query ("rate" in "funding rate") say more than near spellings.
  const containing = ranked.filter(({ keys }) => query.length >= 3 && keys.some((k) => k.includes(query)));
  const loose = Math.max(2, Math.floor(query.length / 2));
  const near = ranked.filter((r) => r.distance <= loose && !containing.includes(r));
  return { suggestions: [...containing, ...near].slice(0, MAX_SUGGESTIONS).map(({ entry }) => entry.term) };
}
