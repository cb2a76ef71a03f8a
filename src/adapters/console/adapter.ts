import type { Adapter, SendOutcome, Target } from '../../core/adapter.js';
import type { Reply } from '../../core/reply.js';
import { renderForConsole } from '../../render/console.js';
import { saveImage } from './session.js';

export interface ConsoleAdapterOptions {
  /** Where pushed messages are printed (the demo's stdout). */
  write: (text: string) => void;
  dataDir: string;
  color: boolean;
}

/**
 * The console as a chat platform for pushed messages: an alert or digest for the `console`
 * user prints between prompts, its chart saved under DATA_DIR/charts like a command's.
 * Commands themselves come through the REPL, which calls the dispatcher directly.
 */
export class ConsoleAdapter implements Adapter {
  readonly platform = 'console' as const;

  constructor(private readonly options: ConsoleAdapterOptions) {}

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async canReach(): Promise<boolean> {
    return true;
  }

  async send(_target: Target, reply: Reply): Promise<SendOutcome> {
    let text = renderForConsole(reply, { color: this.options.color });
    const saved = await saveImage({ ok: true, reply }, this.options.dataDir);
    if (saved) text += `\nChart saved to ${saved}`;
    this.options.write(`\n${text}\n`);
    return { status: 'sent' };
  }
}
