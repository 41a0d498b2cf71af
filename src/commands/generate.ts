import { Flags } from '@oclif/core';
import os from 'node:os';
import { BaseCommand } from '../lib/base-command.js';
import { dbFlag, runFlags } from '../cli/run-flags.js';
import { generate, type GenerateResult } from '../generate/run.js';
import { UserError } from '../lib/errors.js';

export default class Generate extends BaseCommand {
  static override description =
    'Generate the seven tables from a scenario into PostgreSQL (or the embedded database), then validate them.';

  static override examples = [
    '<%= config.bin %> generate',
    '<%= config.bin %> generate --seed=42 --hcps=2500 --months=12 --wipe',
    '<%= config.bin %> generate --scenario=oncology-launch --months=24 --db=postgres://postgres@127.0.0.1:5432/demo',
    '<%= config.bin %> generate --validate-only',
  ];

  static override flags = {
    ...runFlags,
    db: dbFlag,
    wipe: Flags.boolean({
      description: "Replace the generator's existing data with a fresh run.",
      default: false,
    }),
    force: Flags.boolean({
      description: 'With --wipe: replace same-named tables even though hcpgen did not create them.',
      default: false,
    }),
    'validate-only': Flags.boolean({
      description: 'Only run the checks on the data that is there; change nothing.',
    }),
    workers: Flags.integer({
      description:
        'Worker threads generating rows (default: one per core; 0 = main thread). Output is the same.',
      min: 0,
      max: 64,
    }),
    'chunk-size': Flags.integer({
      description: 'HCPs per work unit (output is the same).',
      min: 1,
      max: 100_000,
    }),
  };

  async run(): Promise<GenerateResult> {
    const { flags } = await this.parse(Generate);
    if (flags['validate-only']) throw new UserError('not implemented yet');
    const controller = new AbortController();
    const onSignal = (signal: NodeJS.Signals): void => {
      if (controller.signal.aborted) process.exit(130);
      process.stderr.write(`\nhcpgen: ${signal} received, rolling back; the database is left as it was.\n`);
      controller.abort(new UserError(`interrupted by ${signal}; nothing was changed.`, { exitCode: 130 }));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const result = await generate({
        scenario: flags.scenario,
        seed: flags.seed,
        hcps: flags.hcps,
        months: flags.months,
        asOf: flags['as-of'],
        ...(flags.db ? { db: flags.db } : {}),
        wipe: flags.wipe,
        force: flags.force,
        workers: flags.workers ?? os.availableParallelism(),
        ...(flags['chunk-size'] ? { chunkSize: flags['chunk-size'] } : {}),
        quiet: this.jsonEnabled(),
        signal: controller.signal,
      });
      this.log(result.message);
      return result;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
