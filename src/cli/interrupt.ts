// Ctrl-C and SIGTERM for the commands that write (generate, load): the first signal aborts the job, which cancels
// the statement in progress and unwinds to its rollback or temp-dir cleanup; the error then says, in one line,
// that nothing was changed. A second signal exits at once (the server rolls back a transaction whose client
// is gone, and a file job's temp dir is named so that the next run clears it).
import { InterruptedError } from '../lib/errors.js';

/** Runs `job` with an AbortSignal tied to SIGINT/SIGTERM; `outcome` says what an interrupted run left behind. */
export async function withInterrupt<T>(
  outcome: string,
  job: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130);
    // A live progress line on a terminal: start the message on a line of its own.
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    controller.abort(new InterruptedError(`interrupted by ${signal}: ${outcome}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await job(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
