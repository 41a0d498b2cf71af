// Validation as the last step of `generate`, inside its transaction: a run whose data fails its checks is
// rolled back (the database keeps what it had) and the report says why. --no-validate skips this.
import type { Plan } from '../plan/types.js';
import type { Stage } from '../db/swap.js';
import { UserError } from '../lib/errors.js';
import { runValidation } from './run.js';
import type { ValidationReport } from './types.js';
import type { StatedFacts } from './stated/merge.js';

export class ValidationFailedError extends UserError {
  constructor(readonly report: ValidationReport) {
    super(
      `the generated data failed ${report.failed} of ${report.results.length} validation checks (listed above), so ` +
        'the run was rolled back and the database still holds what it had before.',
      {
        exitCode: 1,
        code: 'VALIDATION_FAILED',
        hint:
          'Each failed check says what to change (a range in validation.checks, a derived check under ' +
          'validation.derived); pass --keep-failed to commit the run marked failed and look at it.',
      },
    );
  }
}

/** A validate hook for generate(): keeps the report, throws when a check fails. */
export function validationHook(): {
  hook: (stage: Stage, plan: Plan, stated?: StatedFacts) => Promise<void>;
  report: () => ValidationReport | null;
} {
  let last: ValidationReport | null = null;
  return {
    hook: async (stage, plan, stated) => {
      last = await runValidation(stage, {
        plan,
        database: stage.target.description,
        // swap.ts added every key, unique and foreign key in this transaction just before: PostgreSQL has
        // validated them, so the checks they prove need not scan again.
        constraintsJustAdded: true,
        ...(stated ? { stated } : {}),
        // The per-HCP passes sort and hash millions of rows; PGlite runs in WASM memory and keeps its default.
        ...(stage.target.kind === 'postgres' ? { workMem: '256MB', plannerHints: true } : {}),
      });
      if (last.failed > 0) throw new ValidationFailedError(last);
    },
    report: () => last,
  };
}
