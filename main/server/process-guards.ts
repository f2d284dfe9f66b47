// Last nets for a long-running process (serve's worker, the Electron main): nothing ends it
// silently. An unhandled rejection is logged and the process carries on (a promise nobody
// awaited failed; state is intact). An uncaught exception is logged and the process exits with
// code 1, because its state is unknown; the supervisor (or the OS service) starts it again.
export interface GuardOptions {
  log: (line: string) => void;
  /** Called after an uncaught exception was logged (default: process.exit(1)). */
  onFatal?: (error: unknown) => void;
}

function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
}

export function installProcessGuards(o: GuardOptions, proc: NodeJS.Process = process): () => void {
  const onRejection = (reason: unknown) => {
    o.log(`unhandled promise rejection (the server keeps running): ${describe(reason)}`);
  };
  const onException = (error: unknown, origin: string) => {
    o.log(`fatal: uncaught exception (${origin}); the process exits and is restarted: ${describe(error)}`);
    (o.onFatal ?? (() => proc.exit(1)))(error);
  };
  proc.on('unhandledRejection', onRejection);
  proc.on('uncaughtException', onException);
  return () => {
    proc.off('unhandledRejection', onRejection);
    proc.off('uncaughtException', onException);
  };
}
