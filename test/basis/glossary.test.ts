import { describe, expect, it } from 'vitest';
import { GLOSSARY, lookupTerm, normalizeTerm, type GlossaryEntry } from '../../src/basis/glossary.js';

function termOf(result: ReturnType<typeof lookupTerm>): string | undefined {
  return 'term' in result ? result.term : undefined;
}

describe('GLOSSARY', () => {
  it('covers every term the bot uses', () => {
    const terms = GLOSSARY.map((e) => e.term);
    for (const term of [
      'basis', 'contango', 'backwardation', 'convergence', 'cash-and-carry', 'reverse cash-and-carry',
      'funding rate', 'basis risk', 'supply squeeze', 'annualized basis', 'mark price', 'index price',
      'perpetual swap', 'dated future', 'days to expiry',
    ]) {
      expect(terms).toContain(term);
    }
  });

  it('defines each term in two to four plain sentences', () => {
    for (const entry of GLOSSARY) {
      const sentences = entry.definition.split(/(?<=\.)\s+/).filter(Boolean);
      expect(sentences.length, entry.term).toBeGreaterThanOrEqual(2);
      expect(sentences.length, entry.term).toBeLessThanOrEqual(4);
      expect(entry.definition, entry.term).not.toMatch(/[<>*_`]/);
    }
  });

  it('gives no two entries the same key, so every lookup is unambiguous', () => {
    const seen = new Map<string, string>();
    for (const entry of GLOSSARY) {
      for (const name of [entry.term, ...entry.aliases]) {
        const key = normalizeTerm(name);
        expect(seen.get(key) ?? entry.term, `${name} collides`).toBe(entry.term);
        seen.set(key, entry.term);
      }
    }
  });
});

describe('lookupTerm', () => {
  it('finds terms and aliases regardless of case, separators and plurals', () => {
    expect(termOf(lookupTerm('Contango'))).toBe('contango');
    expect(termOf(lookupTerm('cash_and_carry'))).toBe('cash-and-carry');
    expect(termOf(lookupTerm('Cash And Carry'))).toBe('cash-and-carry');
    expect(termOf(lookupTerm('reverse-cash-and-carry'))).toBe('reverse cash-and-carry');
    expect(termOf(lookupTerm('funding rates'))).toBe('funding rate');
    expect(termOf(lookupTerm('perps'))).toBe('perpetual swap');
    expect(termOf(lookupTerm('futures'))).toBe('dated future');
    expect(termOf(lookupTerm('basis'))).toBe('basis');
    expect(termOf(lookupTerm('DTE'))).toBe('days to expiry');
  });

  it('strips the question around a term', () => {
    expect(termOf(lookupTerm('What is backwardation?'))).toBe('backwardation');
    expect(termOf(lookupTerm("what's the mark price"))).toBe('mark price');
  });

  it('forgives close misspellings', () => {
    expect(termOf(lookupTerm('contago'))).toBe('contango');
    expect(termOf(lookupTerm('backwardtion'))).toBe('backwardation');
    expect(termOf(lookupTerm('convergance'))).toBe('convergence');
    expect(termOf(lookupTerm('suply squeze'))).toBe('supply squeeze');
  });

  it('suggests instead of guessing when nothing matches clearly', () => {
    const carry = lookupTerm('carr');
    expect('suggestions' in carry && carry.suggestions).toEqual(
      expect.arrayContaining(['cash-and-carry', 'reverse cash-and-carry']),
    );
    const price = lookupTerm('price');
    expect('suggestions' in price && price.suggestions).toEqual(expect.arrayContaining(['mark price', 'index price']));
  });

  it('puts terms containing the query before near spellings', () => {
    const rate = lookupTerm('rate');
    expect('suggestions' in rate && rate.suggestions.slice(0, 2).sort()).toEqual(['annualized basis', 'funding rate']);
  });

  it('does not answer a different concept that merely looks close', () => {
    // A short squeeze (shorts forced to cover) is not a supply squeeze: suggest, do not define.
    expect(lookupTerm('short squeeze')).toEqual({ suggestions: ['supply squeeze'] });
  });

  it('returns no suggestions for gibberish or an empty query', () => {
    expect(lookupTerm('zzqxj')).toEqual({ suggestions: [] });
    expect(lookupTerm('  ?? ')).toEqual({ suggestions: [] });
  });

  it('returns the entry itself, with its definition', () => {
    const entry = lookupTerm('annualised basis') as GlossaryEntry;
    expect(entry.definition).toMatch(/365/);
    expect(entry.example).toMatch(/12\.17%/);
  });
});
