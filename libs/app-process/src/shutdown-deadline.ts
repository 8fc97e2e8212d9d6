import { LoggerService } from '@nestjs/common';

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Once a stop signal arrives, the app gets `timeoutMs` to close (Nest's shutdown hooks wait for the
 * worker's jobs in flight, and for mail-in's messages inside DATA to be committed and answered);
 * after that it exits with code 1. A job still running then keeps its
 * BullMQ lock only until the lock expires, and another worker runs it again — at least once, as
 * after a crash. The timer is unref'd: a clean close exits as before (Nest re-raises the signal).
 */
export function exitAfterShutdownDeadline(timeoutMs: number, logger: LoggerService): void {
  const arm = (signal: NodeJS.Signals) => {
    for (const s of SIGNALS) process.removeListener(s, arm);
    setTimeout(() => {
      logger.error(`still stopping ${timeoutMs} ms after ${signal}: exiting with jobs in flight (other workers take them over)`, 'Shutdown');
      process.exit(1);
    }, timeoutMs).unref();
  };
  for (const s of SIGNALS) process.once(s, arm);
}
