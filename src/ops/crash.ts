/**
 * What happens to an exception nothing caught: it is logged and the process exits 1, so the
 * orchestrator (Docker, Kubernetes, systemd) restarts a clean process. Limping on after one
 * would leave state half-changed and possibly a lease renewed by a replica that no longer
 * works. Nothing is lost by exiting: the outbox and every feature write through to the store,
 * and the push lease expires on its own within LEASE_TTL_MS.
 */
import type { Logger } from 'pino';

export type Exit = (code: number) => void;

/**
 * Installs the handlers; returns a function that removes them. `exit` is replaceable for
 * tests. The log line is written before exiting: pino's destination on fd 2 writes synchronously.
 */
export function exitOnCrash(log: Pick<Logger, 'fatal'>, exit: Exit = (code) => process.exit(code)): () => void {
  let crashed = false;
  const crash = (what: string, error: unknown) => {
    // A second failure while exiting (e.g. from another callback) must not log twice.
    if (crashed) return;
    crashed = true;
    log.fatal({ err: error }, `${what}: exiting with code 1 so the process is restarted clean`);
    exit(1);
  };
  const onException = (error: Error) => crash('uncaught exception', error);
  const onRejection = (reason: unknown) => crash('unhandled promise rejection', reason);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
