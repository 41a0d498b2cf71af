// planFor, plus what only the validation layer can tell about a scenario before anything is generated: that
// every name in validation.derived.checks names a derived check. Every command that generates or plans a run
// starts here, so a typo'd override fails before a database or directory is touched.
import { planFor, type PlannedRun, type RequestedParams } from '../scenario/plan-for.js';
import { assertKnownOverrideNames } from './model/override-names.js';

export async function planWithChecks(scenarioArg: string, requested: RequestedParams): Promise<PlannedRun> {
  const run = await planFor(scenarioArg, requested);
  await assertKnownOverrideNames(run);
  return run;
}
