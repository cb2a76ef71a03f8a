import type { Command } from '../src/core/command.js';
import { alertCommand } from './alert.js';
import { basisCommand } from './basis.js';
import { carryCommand } from './carry.js';
import { curveCommand } from './curve.js';
import { digestCommand } from './digest.js';
import { explainCommand } from './explain.js';
import { fundingCommand } from './funding.js';
import { createHelpCommand } from './help.js';
import { historyCommand } from './history.js';
import { statusCommand } from './status.js';
import { topCommand } from './top.js';

/** The command registry every adapter registers and routes from, in menu order. */
export const COMMANDS: Command[] = [basisCommand, curveCommand, fundingCommand, topCommand, alertCommand, digestCommand, explainCommand, statusCommand];
COMMANDS.push(historyCommand);
COMMANDS.push(carryCommand);
COMMANDS.push(createHelpCommand(() => COMMANDS));
