import type { Command } from '../src/core/command.js';
import { errorReply } from '../src/core/reply.js';
import { GLOSSARY, lookupTerm } from '../src/basis/glossary.js';

/** `/explain <term>`: the glossary, forgiving of spelling. */
export const explainCommand: Command = {
  name: 'explain',
  description: 'Explain a term: basis, contango, backwardation, funding rate, cash-and-carry...',
  options: [{ name: 'term', description: 'The term to explain', type: 'string', required: true, autocomplete: 'term', rest: true }],
  sharedAnswer: true,
  async run(input) {
    const text = String(input.args['term']).slice(0, 100);
    const found = lookupTerm(text);
    if ('suggestions' in found) {
      const hint = found.suggestions.length
        ? `Did you mean: ${found.suggestions.join(', ')}?`
        : `Known terms: ${GLOSSARY.map((entry) => entry.term).join(', ')}.`;
      return { ok: false, reply: errorReply(`No glossary entry for "${text}".`, hint), data: { suggestions: found.suggestions } };
    }
    const blocks = [{ kind: 'text' as const, text: found.definition }];
    if (found.example) blocks.push({ kind: 'text', text: `Example: ${found.example}` });
    return { ok: true, reply: { title: found.term, tone: 'neutral', blocks }, data: found };
  },
};
