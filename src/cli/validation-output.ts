// What the data commands (generate, load, validate) do with a validation report besides returning it: the
// optional JUnit file, and, when the checks failed and the run was rolled back, the check lines before the error.
import { UserError } from '../lib/errors.js';
import { ValidationFailedError } from '../validation/in-generate.js';
import { writeJunit } from '../validation/junit.js';
import type { ValidationReport } from '../validation/types.js';

/** --junit FILE; a path that cannot be written is the user's to fix, not an internal error. */
export async function writeJunitFile(file: string, report: ValidationReport): Promise<void> {
  try {
    await writeJunit(file, report);
  } catch (err) {
    throw new UserError(`Cannot write the JUnit report to "${file}": ${(err as Error).message}.`, {
      hint: 'Check that the directory exists and is writable.',
      cause: err,
    });
  }
}

/**
 * Runs a job that validates before it commits. When a check fails the job rolls back and throws
 * ValidationFailedError: show which checks failed (`print`, unless --json) and write --junit before the error
 * says so.
 */
export async function reportFailedChecks<T>(
  options: { junit?: string | undefined; print?: ((report: ValidationReport) => void) | undefined },
  job: () => Promise<T>,
): Promise<T> {
  try {
    return await job();
  } catch (err) {
    if (err instanceof ValidationFailedError) {
      options.print?.(err.report);
      if (options.junit) await writeJunitFile(options.junit, err.report);
    }
    throw err;
  }
}

/** A clear usage error for --files together with --db on the command line (a DATABASE_URL is only a default). */
export function refuseFilesWithDb(argv: readonly string[], files: string | undefined): void {
  if (files === undefined) return;
  if (argv.some((a) => a === '--db' || a.startsWith('--db='))) {
    throw new UserError(
      '--files and --db name two different things to read: --files a directory of file output, --db a database. Pass one of them.',
    );
  }
}
