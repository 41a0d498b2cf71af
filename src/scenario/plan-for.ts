// The whole scenario layer in one call: --scenario name or path -> file -> checked Scenario -> Plan.
import { checkScenario } from './check.js';
import { compile } from './compile.js';
import { loadScenarioFile, type LoadedScenario } from './load.js';
import { resolveScenario } from './resolve.js';
import type { Scenario } from './scenario-types.js';
import type { Plan, RunParams } from '../plan/types.js';
import { generatorVersion } from '../lib/package-info.js';

export interface PlannedRun {
  plan: Plan;
  scenario: Scenario;
  loaded: LoadedScenario;
}

export async function planFor(scenarioArg: string, params: RunParams): Promise<PlannedRun> {
  const loaded = await loadScenarioFile(resolveScenario(scenarioArg));
  const scenario = checkScenario(loaded);
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
