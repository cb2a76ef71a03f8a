import { distance } from 'fastest-levenshtein';

/**
 * Close matches for a mistyped name: prefix matches first, then small edit distances
 * (ETHH → ETH, SLO → SOL), at most `limit`.
 */
export function closestMatches(input: string, candidates: string[], limit = 3): string[] {
  const needle = input.toUpperCase();
  const scored = candidates.map((candidate) => {
    const upper = candidate.toUpperCase();
    const prefix = upper.startsWith(needle) || needle.startsWith(upper);
    return { candidate, score: prefix ? 0 : distance(needle, upper) };
  });
  const allowed = Math.max(1, Math.floor(needle.length / 2));
  return scored
    .filter((entry) => entry.score <= allowed)
    .sort((a, b) => a.score - b.score)
    .slice(0, limit)
    .map((entry) => entry.candidate);
}
