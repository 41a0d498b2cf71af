import { Flags } from '@oclif/core';
import { dbFlag } from '../cli/run-flags.js';
import { BaseCommand } from '../lib/base-command.js';
import { UserError } from '../lib/errors.js';
import { validateDatabase } from '../validation/run.js';
import { renderText } from '../validation/report.js';
import { writeJunit } from '../validation/junit.js';
import type { ValidationReport } from '../validation/types.js';

export default class Validate extends BaseCommand {
  static override description =
    'Check the generated data against its run metadata and the scenario: keys, references, completeness, time ' +
    'rules, volumes and distributions, all as SQL inside the database. Changes nothing. Exit 0 when every check ' +
    'passes, 1 when any fails, 2 on a usage, configuration or connection error.';

  static override examples = [
    '<%= config.bin %> validate',
    '<%= config.bin %> validate --db=postgres://postgres@127.0.0.1:5432/demo --junit=validation.xml',
    '<%= config.bin %> validate --json',
  ];

  static override flags = {
    db: dbFlag,
    junit: Flags.string({
      description: 'Also write the results as JUnit XML to FILE (for CI test reports).',
      helpValue: 'FILE',
    }),
  };

  async run(): Promise<ValidationReport> {
    const { flags } = await this.parse(Validate);
    const report = await validateDatabase(flags.db ? { db: flags.db } : {});
    if (flags.junit) await writeJunitFile(flags.junit, report);
    if (!this.jsonEnabled()) process.stdout.write(renderText(report));
    // Not this.exit(1): that would throw before oclif prints the --json result.
    if (report.failed > 0) process.exitCode = 1;
    return report;
  }
}

export async function writeJunitFile(file: string, report: ValidationReport): Promise<void> {
  try {
    await writeJunit(file, report);
  } catch (err) {
    throw new UserError(`Cannot write the JUnit report to "${file}": ${(err as Error).message}.`, {
      hint: 'Check that the directory exists and is writable.',
      cause: err,
    });
  }
}
