// Freshly generated data for the validation tests: the single place that knows how a test database gets its
// rows. Until src/generate/run.ts exists this drives the generation steps and the atomic load directly
// (compile -> campaigns + generateChunk -> withAtomicRegeneration), which is what the generator does too.
import path from 'node:path';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { checkScenario } from '../../src/scenario/check.js';
import { compile } from '../../src/scenario/compile.js';
import { createContext } from '../../src/steps/context.js';
import { campaignRows, CAMPAIGN_COLUMNS } from '../../src/steps/campaigns.js';
import {
  ENGAGEMENT_COLUMNS,
  generateChunk,
  OUTCOME_COLUMNS,
  RX_COLUMNS,
  STIMULUS_COLUMNS,
  type HcpTable,
} from '../../src/steps/chunk.js';
import { HCP_COLUMNS } from '../../src/steps/hcp-profiles.js';
import { TERRITORY_COLUMNS } from '../../src/steps/territory-assignments.js';
import { withAtomicRegeneration } from '../../src/db/swap.js';
import { generatorVersion } from '../../src/lib/package-info.js';
import type { Plan } from '../../src/plan/types.js';
import type { Target } from '../../src/db/target.js';

export interface FreshOptions {
  hcps?: number;
  months?: number;
  seed?: number;
  asOf?: string;
}

export const DEFAULT_FRESH = { hcps: 200, months: 3, seed: 42, asOf: '2024-06-30' } as const;

/** The default scenario compiled for the test run's parameters. */
export async function defaultPlan(options: FreshOptions = {}): Promise<Plan> {
  const p = { ...DEFAULT_FRESH, ...options };
  const file = path.resolve('scenarios/default.yaml');
  const loaded = await loadScenarioFile(file);
  const scenario = checkScenario(loaded);
  return compile(
    scenario,
    { name: scenario.name, file, hash: loaded.hash },
    { seed: p.seed, hcps: p.hcps, months: p.months, asOf: p.asOf },
    generatorVersion,
  );
}

const COLUMNS: Record<HcpTable, readonly string[]> = {
  hcp_profiles: HCP_COLUMNS,
  territory_assignments: TERRITORY_COLUMNS,
  stimuli: STIMULUS_COLUMNS,
  outcomes: OUTCOME_COLUMNS,
  rx_history: RX_COLUMNS,
  engagement_scores: ENGAGEMENT_COLUMNS,
};

/**
 * Generates the default scenario (small: 200 HCPs, 3 months) into `target`, replacing whatever hcpgen put
 * there before, and records the run in hcpgen_runs. Returns the plan that was recorded.
 */
export async function freshGeneratedDatabase(target: Target, options: FreshOptions = {}): Promise<Plan> {
  const plan = await defaultPlan(options);
  const { params } = plan;
  await withAtomicRegeneration(target, {
    run: {
      scenarioName: plan.scenario.name,
      scenarioHash: plan.scenario.hash,
      seed: params.seed,
      hcps: params.hcps,
      months: params.months,
      asOf: params.asOf,
      generatorVersion: plan.generatorVersion,
      plan,
    },
    load: async (stage) => {
      const ctx = createContext(plan);
      await stage.copyFrom('campaigns', CAMPAIGN_COLUMNS, [campaignRows(ctx.campaigns)]);
      const chunk = generateChunk(ctx, 1, params.hcps);
      for (const table of Object.keys(COLUMNS) as HcpTable[]) {
        await stage.copyFrom(table, COLUMNS[table], [chunk.csv[table]]);
      }
    },
  });
  return plan;
}
