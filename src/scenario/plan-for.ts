// The whole scenario layer in one call: --scenario name or path -> file -> checked Scenario -> Plan.
import { checkScenario } from './check.js';
import { compile } from './compile.js';
import { loadScenarioFile, type LoadedScenario } from './load.js';
import { resolveScenario } from './resolve.js';
import type { Scenario } from './scenario-types.js';
import type { Plan, RunParams } from '../plan/types.js';
import { generatorVersion } from '../lib/package-info.js';
import { DEFAULT_HCPS, DEFAULT_MONTHS } from '../plan/limits.js';

export interface PlannedRun {
  plan: Plan;
  scenario: Scenario;
  loaded: LoadedScenario;
}

/** Run parameters as given on the command line: hcps and months fall back to the scenario's defaults. */
export type RequestedParams = Omit<RunParams, 'hcps' | 'months'> & {
  hcps?: number | undefined;
  months?: number | undefined;
};

export async function planFor(scenarioArg: string, requested: RequestedParams): Promise<PlannedRun> {
  const loaded = await loadScenarioFile(resolveScenario(scenarioArg));
  const scenario = checkScenario(loaded);
  const params: RunParams = {
    seed: requested.seed,
    hcps: requested.hcps ?? scenario.defaults?.hcps ?? DEFAULT_HCPS,
    months: requested.months ?? scenario.defaults?.months ?? DEFAULT_MONTHS,
    asOf: requested.asOf,
  };
  const plan = compile(
    scenario,
    {
      name: scenario.name,
      file: loaded.file,
      hash: loaded.hash,
      locate: (pointer, offset) => loaded.locateInString(pointer, offset),
    },
    params,
    generatorVersion,
  );
  return { plan, scenario, loaded };
}
