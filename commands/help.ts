import type { Command } from '../src/core/command.js';
import { usageLine } from '../src/core/parse.js';
import { errorReply } from '../src/core/reply.js';

/** `/help [command]`: every command with its usage, or one command's options in detail. */
export function createHelpCommand(commands: () => Command[]): Command {
  return {
    name: 'help',
    description: 'What basisbot can do, and how to call each command',
    options: [{ name: 'command', description: 'A command to explain', type: 'string' }],
    async run(input) {
      const wanted = input.args['command'] ? String(input.args['command']).replace(/^\//, '').toLowerCase() : undefined;
      if (wanted) {
        const command = commands().find((candidate) => candidate.name === wanted);
        if (!command) return { ok: false, reply: errorReply(`There is no /${wanted.slice(0, 32)} command.`, 'Send /help for the list.') };
        const fields = command.options.map((option) => ({
          label: option.name + (option.required ? '' : ' (optional)'),
          value: option.description + (option.choices ? ` (one of ${option.choices.join(', ')})` : ''),
        }));
        const blocks = [{ kind: 'text' as const, text: `${command.description}\nUsage: ${usageLine(command)}` }];
        return { ok: true, reply: { title: `/${command.name}`, tone: 'neutral', blocks: fields.length ? [...blocks, { kind: 'fields', fields }] : blocks } };
      }
      return {
        ok: true,
        reply: {
          title: 'basisbot: the crypto futures basis in chat',
          tone: 'neutral',
          blocks: [
            { kind: 'table', head: ['Usage', 'What it does'], rows: commands().map((command) => [usageLine(command), command.description]), align: ['left', 'left'] },
            { kind: 'text', text: 'Examples: /basis BTC, /curve SOL okx, /funding ETH, /top 5, /explain backwardation.' },
          ],
        },
      };
    },
  };
}
