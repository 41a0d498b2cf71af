import { BaseCommand } from '../lib/base-command.js';
import { runFlags } from '../cli/run-flags.js';
import { planFor } from '../scenario/plan-for.js';
import type { TableName } from '../plan/types.js';
import { fmt } from '../generate/progress.js';

export interface PlanJson {
  scenario: string;
  hcps: number;
  months: number;
  seed: number;
  asOf: string;
  expected: Record<TableName, number>;
}

export default class Plan extends BaseCommand {
  static override description =
    'Print the expected volume per table for a scenario and run parameters, without touching a database.';

  static override examples = [
    '<%= config.bin %> plan --scenario=default --hcps=2500 --months=12',
    '<%= config.bin %> plan --scenario=oncology-launch --hcps=5000 --json',
  ];

  static override flags = { ...runFlags };

  async run(): Promise<PlanJson> {
    const { flags } = await this.parse(Plan);
    const { plan } = await planFor(flags.scenario, {
      seed: flags.seed,
      hcps: flags.hcps,
      months: flags.months,
      asOf: flags['as-of'],
    });
    this.log(
      `Scenario ${plan.scenario.name}: ${fmt(plan.params.hcps)} HCPs, ${plan.params.months} months ` +
        `(${plan.window.start} to ${plan.window.end}), seed ${plan.params.seed}`,
    );
    for (const step of plan.steps) {
      this.log(
        `  ${step.order}. ${step.table.padEnd(22)} ${fmt(step.expected).padStart(12)}   ${step.description}`,
      );
    }
    const total = plan.steps.reduce((a, s) => a + s.expected, 0);
    this.log(`  ${'total'.padEnd(25)} ${fmt(total).padStart(12)}`);
    return {
      scenario: plan.scenario.name,
      hcps: plan.params.hcps,
      months: plan.params.months,
      seed: plan.params.seed,
      asOf: plan.params.asOf,
      expected: plan.expected,
    };
  }
}
