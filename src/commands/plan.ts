import { Flags } from '@oclif/core';
import { BaseCommand } from '../lib/base-command.js';
import { runFlags } from '../cli/run-flags.js';
import { planWithChecks } from '../validation/plan-with-checks.js';
import type { TableName } from '../plan/types.js';
import { fmt } from '../generate/progress.js';
import { seedDataDir } from '../fixtures/seed-data-flag.js';
import {
  expectedWithFixtures,
  loadSeedData,
  planFixtures,
  seedDataSummary,
  type SeedDataSummary,
} from '../fixtures/seed-data.js';
import { displayPath } from '../scenario/problems.js';
import {
  compareSummaries,
  modelSummary,
  renderComparison,
  renderSummary,
  type ComparedRow,
  type ModelSummary,
} from '../validation/model/summary.js';

export interface PlanJson {
  scenario: string;
  hcps: number;
  months: number;
  seed: number;
  asOf: string;
  /** The rows the run writes per table: generated (expected volume) plus the fixtures' exact rows. */
  expected: Record<TableName, number>;
  /** The random data's expected volume alone (`expected` minus `fixtures.rows`). */
  expectedGenerated: Record<TableName, number>;
  /** The seed-data fixtures the run would load (as generate --json reports them); null without any. */
  fixtures: SeedDataSummary | null;
  /**
   * What the data will look like: every derived check's expected values and, at this size, their tolerances
   * (src/validation/model/summary.ts).
   */
  model: ModelSummary;
  /** With --compare: the other scenario at the same parameters, and the derived values side by side. */
  compare?: { scenario: string; expected: Record<TableName, number>; model: ComparedRow[] };
}

export default class Plan extends BaseCommand {
  static override description =
    'Print the expected volume per table for a scenario and run parameters (seed-data fixtures included), without touching a database.';

  static override examples = [
    '<%= config.bin %> plan --scenario=default --hcps=2500 --months=12',
    '<%= config.bin %> plan --scenario=oncology-launch --hcps=5000 --json',
    '<%= config.bin %> plan --months=1 --seed-data=./my-fixtures',
    '<%= config.bin %> plan --scenario=my-study --compare=default',
  ];

  static override flags = {
    ...runFlags,
    'seed-data': Flags.string({
      description:
        'Folder of fixture files (*.yaml, *.yml, *.json) the run would load, as for generate. Default: ./seed-data when it exists.',
      exclusive: ['no-seed-data'],
    }),
    'no-seed-data': Flags.boolean({
      description: 'Plan without fixture files, even if ./seed-data exists.',
      default: false,
    }),
    compare: Flags.string({
      description:
        'Another scenario (a name or a file) to show side by side, at the same parameters: row counts and every derived value that differs.',
      helpValue: 'SCENARIO',
    }),
  };

  async run(): Promise<PlanJson> {
    const { flags } = await this.parse(Plan);
    const { plan } = await planWithChecks(flags.scenario, {
      seed: flags.seed,
      hcps: flags.hcps,
      months: flags.months,
      asOf: flags['as-of'],
    });
    // The scenario to compare with is read first, so a bad one fails before anything is printed.
    const other =
      flags.compare === undefined ? null : (await planWithChecks(flags.compare, { ...plan.params })).plan;
    // The same fixtures generate would load, checked the same way; skipped records are noted on stderr.
    const dir = seedDataDir(flags['seed-data'], flags['no-seed-data']);
    const seed = dir === undefined ? null : loadSeedData(dir, plan);
    const fixtures = seed ? planFixtures(seed) : undefined;
    if (fixtures) plan.fixtures = fixtures;
    const expected = expectedWithFixtures(plan);

    this.log(
      `Scenario ${plan.scenario.name}: ${fmt(plan.params.hcps)} HCPs, ${plan.params.months} month${plan.params.months === 1 ? '' : 's'} ` +
        `(${plan.window.start} to ${plan.window.end}), seed ${plan.params.seed}`,
    );
    if (seed && fixtures) {
      const n = seed.skippedItems.length;
      this.log(
        `Seed-data fixtures from ${displayPath(seed.dir)} (${seed.files.join(', ')}): ${fmt(seed.hcps)} HCPs, ` +
          `${fmt(seed.campaigns)} campaigns` +
          (n > 0 ? `; ${n} record${n === 1 ? '' : 's'} outside this window skipped` : ''),
      );
    }
    const fixed = (t: TableName): number => plan.fixtures?.rows[t] ?? 0;
    const breakdown = (generated: number, fixture: number): string =>
      fixtures ? `(${fmt(generated)} generated + ${fmt(fixture)} fixtures)` : '';
    const width = Math.max(0, ...plan.steps.map((s) => breakdown(s.expected, fixed(s.table)).length));
    for (const step of plan.steps) {
      const extra = fixtures ? `${breakdown(step.expected, fixed(step.table)).padEnd(width)}   ` : '';
      this.log(
        `  ${step.order}. ${step.table.padEnd(22)} ${fmt(expected[step.table]).padStart(12)}   ${extra}${step.description}`,
      );
    }
    const generated = plan.steps.reduce((a, s) => a + s.expected, 0);
    const fixtureTotal = plan.steps.reduce((a, s) => a + fixed(s.table), 0);
    this.log(
      `  ${'total'.padEnd(25)} ${fmt(generated + fixtureTotal).padStart(12)}` +
        (fixtures ? `   ${breakdown(generated, fixtureTotal)}` : ''),
    );
    const model = await modelSummary(plan);
    this.log('');
    this.log(
      `What the data will look like (the derived checks; tolerances at ${fmt(plan.params.hcps)} HCPs in --json):`,
    );
    for (const line of renderSummary(model)) this.log(line);
    const result: PlanJson = {
      scenario: plan.scenario.name,
      hcps: plan.params.hcps,
      months: plan.params.months,
      seed: plan.params.seed,
      asOf: plan.params.asOf,
      expected,
      expectedGenerated: plan.expected,
      fixtures: seed ? seedDataSummary(seed) : null,
      model,
    };
    if (other && flags.compare !== undefined) {
      const rows = compareSummaries(model, await modelSummary(other));
      const a = plan.scenario.name;
      const b = other.scenario.name === a ? `${b0(flags.compare)}` : other.scenario.name;
      this.log('');
      this.log(`Compared with ${b} at the same parameters (* marks a difference):`);
      const w = Math.max(12, a.length, b.length);
      this.log(`  ${''.padEnd(22)}  ${a.padStart(w)}  ${b.padStart(w)}`);
      for (const step of plan.steps) {
        const x = plan.expected[step.table];
        const y = other.expected[step.table];
        this.log(
          `${x === y ? ' ' : '*'} ${step.table.padEnd(22)}  ${fmt(x).padStart(w)}  ${fmt(y).padStart(w)}`,
        );
      }
      for (const line of renderComparison(rows, a, b)) this.log(line);
      result.compare = { scenario: other.scenario.name, expected: other.expected, model: rows };
    }
    return result;
  }
}

/** A scenario argument as a short label (its file name without .yaml). */
function b0(arg: string): string {
  return arg.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
}
