import { Flags } from '@oclif/core';
import os from 'node:os';
import { BaseCommand } from '../lib/base-command.js';
import { dbFlag, runFlags } from '../cli/run-flags.js';
import { generate, type GenerateResult } from '../generate/run.js';
import { ValidationFailedError, validationHook } from '../validation/in-generate.js';
import { validateDatabase } from '../validation/run.js';
import { renderText } from '../validation/report.js';
import type { ValidationReport } from '../validation/types.js';
import { writeJunitFile } from './validate.js';

/** `generate --json`: the run (counts, expected, timings) and its validation report. */
export type GenerateJson = GenerateResult & { validation: ValidationReport | null };
import { UserError } from '../lib/errors.js';
import { seedDataDir } from '../fixtures/seed-data-flag.js';

export default class Generate extends BaseCommand {
  static override description =
    'Generate the seven tables from a scenario into PostgreSQL (or the embedded database), then validate them.';

  static override examples = [
    '<%= config.bin %> generate',
    '<%= config.bin %> generate --seed=42 --hcps=2500 --months=12 --wipe',
    '<%= config.bin %> generate --scenario=oncology-launch --months=24 --db=postgres://postgres@127.0.0.1:5432/demo',
    '<%= config.bin %> generate --validate-only',
    '<%= config.bin %> generate --seed-data=./my-fixtures --wipe',
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
    validate: Flags.boolean({
      description: 'Validate the data before committing it (--no-validate skips the checks).',
      default: true,
      allowNo: true,
    }),
    junit: Flags.string({
      description: 'Also write the validation results as JUnit XML to FILE.',
      helpValue: 'FILE',
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
    'seed-data': Flags.string({
      description:
        'Folder of fixture files (*.yaml, *.yml, *.json) loaded before the random data. Default: ./seed-data when it exists.',
      exclusive: ['no-seed-data'],
    }),
    'no-seed-data': Flags.boolean({
      description: 'Load no fixture files, even if ./seed-data exists.',
      default: false,
    }),
  };

  async run(): Promise<GenerateJson | ValidationReport> {
    const { flags } = await this.parse(Generate);
    if (flags['validate-only']) return this.validateOnly(flags.db, flags.junit);
    const controller = new AbortController();
    // The first signal cancels the statement in progress and rolls back; the error below is the one line the
    // user sees. A second signal exits at once: the server rolls back a transaction whose client is gone.
    const onSignal = (signal: NodeJS.Signals): void => {
      if (controller.signal.aborted) process.exit(130);
      // A live progress line on a terminal: start the message on a line of its own.
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      controller.abort(
        new UserError(
          `interrupted by ${signal}: the run was rolled back and the database is as it was before.`,
          {
            exitCode: 130,
          },
        ),
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const validation = flags.validate ? validationHook() : null;
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
        seedData: seedDataDir(flags['seed-data'], flags['no-seed-data']),
        signal: controller.signal,
        ...(validation ? { validate: validation.hook } : {}),
      });
      const report = validation?.report() ?? null;
      if (report && !this.jsonEnabled()) process.stdout.write(renderText(report));
      if (report && flags.junit) await writeJunitFile(flags.junit, report);
      this.log(result.message);
      return { ...result, validation: report };
    } catch (err) {
      // A failed check rolled the run back: show which checks failed before the error says so.
      if (err instanceof ValidationFailedError) {
        if (!this.jsonEnabled()) process.stdout.write(renderText(err.report));
        if (flags.junit) await writeJunitFile(flags.junit, err.report);
      }
      throw err;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }

  /** --validate-only: the same as `hcpgen validate`, read-only. */
  private async validateOnly(db: string | undefined, junit: string | undefined): Promise<ValidationReport> {
    const report = await validateDatabase(db ? { db } : {});
    if (junit) await writeJunitFile(junit, report);
    if (!this.jsonEnabled()) process.stdout.write(renderText(report));
    if (report.failed > 0) process.exitCode = 1;
    return report;
  }
}
