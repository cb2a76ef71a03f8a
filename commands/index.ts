import type { Command } from '../src/core/command.js';
import { basisCommand } from './basis.js';
import { curveCommand } from './curve.js';
import { explainCommand } from './explain.js';
import { fundingCommand } from './funding.js';
import { createHelpCommand } from './help.js';
import { statusCommand } from './status.js';
import { topCommand } from './top.js';

/** The command registry every adapter registers and routes from, in menu order. */
export const COMMANDS: Command[] = [basisCommand, curveCommand, fundingCommand, topCommand, explainCommand, statusCommand];
COMMANDS.push(createHelpCommand(() => COMMANDS));
