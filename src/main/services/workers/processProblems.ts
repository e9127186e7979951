/** Where the problems go: the station log (StationService.log has this shape). */
export interface ProblemLog {
  log(level: 'warn' | 'error', message: string, details?: Record<string, unknown>): void;
}

/**
 * Sends the owning process's own problems to the station log: warnings, promise rejections nobody
 * handled (logged, and the station keeps running) and, just before a crash, the uncaught
 * exception. Returns a function that stops forwarding.
 */
export function forwardProcessProblems(service: ProblemLog, processName: string): () => void {
  const onWarning = (warning: Error) => service.log('warn', `${processName}: ${warning.name}: ${warning.message}`);
  const onRejection = (reason: unknown) =>
    service.log('error', `${processName}: unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`, {
      stack: reason instanceof Error ? reason.stack : undefined,
    });
  const onCrash = (error: Error) => service.log('error', `${processName}: uncaught exception: ${error.message}`, { stack: error.stack });
  process.on('warning', onWarning);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtExceptionMonitor', onCrash);
  return () => {
    process.off('warning', onWarning);
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtExceptionMonitor', onCrash);
  };
}
