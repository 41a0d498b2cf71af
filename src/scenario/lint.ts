// The library side of `hcpgen scenario lint`: load and check each file, keep going after a bad one.
import { UserError } from '../lib/errors.js';
import { scenarioProblems } from './check.js';
import { loadScenarioFile } from './load.js';
import { ScenarioError, sortProblems, type Problem } from './problems.js';
import { resolveScenario, shippedScenarioFiles } from './resolve.js';
import { planFor, type PlannedRun } from './plan-for.js';
import { DEFAULT_AS_OF, DEFAULT_SEED } from '../plan/limits.js';
import { formulaRangeProblems } from './formula-range.js';
import type { Scenario } from './scenario-types.js';

export interface LintedFile {
  file: string;
  ok: boolean;
  problems: Problem[];
  /** Set when the file could not be read at all (missing, a directory, no permission). */
  error?: string;
}

export interface LintResult {
  ok: boolean;
  /** 0 all good, 1 some file has problems, 2 some file could not be read. */
  exitCode: 0 | 1 | 2;
  files: LintedFile[];
}

/**
 * Problems only a later layer can see in a compiled scenario (the command passes the validation layer's check of
 * validation.derived.checks names; this module may not import validation).
 */
export type PlanProblems = (run: PlannedRun) => Promise<Problem[]>;

/** Lint the given files or scenario names; none means every shipped scenario. */
export async function lintScenarios(
  args: readonly string[],
  planProblems?: PlanProblems,
): Promise<LintResult> {
  const files = args.length > 0 ? args.map((a) => resolveScenario(a)) : shippedScenarioFiles();
  if (files.length === 0) {
    throw new UserError('there are no scenario files to check.', {
      hint: 'Pass the files to check as arguments.',
    });
  }
  const linted: LintedFile[] = [];
  for (const file of files) linted.push(await lintFile(file, planProblems));
  const unreadable = linted.some((f) => f.error !== undefined);
  const bad = linted.some((f) => !f.ok);
  return { ok: !bad, exitCode: unreadable ? 2 : bad ? 1 : 0, files: linted };
}

export async function lintFile(file: string, planProblems?: PlanProblems): Promise<LintedFile> {
  try {
    const loaded = await loadScenarioFile(file);
    const problems = sortProblems(scenarioProblems(loaded));
    // A file that passes the schema and cross-references gets its formulas evaluated for every run hcpgen
    // allows, and is compiled once, at the default run parameters, so lint reports what `plan` and `generate`
    // would reject (an in-person channel that is not rep-delivered, an undeclared channel in a mix, a time
    // zone hcpgen does not know, a count that goes negative at some --hcps, ...).
    if (problems.length === 0) {
      const ranged = formulaRangeProblems(loaded.data as Scenario, loaded.file, loaded.locateInString);
      if (ranged.length > 0) return { file, ok: false, problems: sortProblems(ranged) };
      const run = await planFor(file, { seed: DEFAULT_SEED, asOf: DEFAULT_AS_OF });
      const late = (await planProblems?.(run)) ?? [];
      if (late.length > 0) return { file, ok: false, problems: sortProblems(late) };
    }
    return { file, ok: problems.length === 0, problems };
  } catch (err) {
    if (err instanceof ScenarioError) return { file, ok: false, problems: [...err.problems] };
    if (err instanceof UserError) {
      return { file, ok: false, problems: [], error: err.hint ? `${err.message} ${err.hint}` : err.message };
    }
    throw err;
  }
}
