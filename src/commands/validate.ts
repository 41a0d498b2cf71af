import { Flags } from '@oclif/core';
import { dbFlag } from '../cli/run-flags.js';
import { BaseCommand } from '../lib/base-command.js';
import { validateDatabase } from '../validation/run.js';
import { renderText } from '../validation/report.js';
import { refuseFilesWithDb, writeJunitFile } from '../cli/validation-output.js';
import type { ValidationReport } from '../validation/types.js';

/**
 * --files DIR: the output of `generate --out` instead of a database. Refused next to an explicit --db (an exported
 * DATABASE_URL is only a default and does not count).
 */
const filesFlag = Flags.string({
  description:
    'Validate the file output in DIR (what `hcpgen generate --out DIR` wrote: Parquet or CSV and manifests) instead of a database.',
  helpValue: 'DIR',
});

export default class Validate extends BaseCommand {
  static override description =
    'Check the generated data against its run metadata and the scenario: keys, references, completeness, time ' +
    'rules, volumes and distributions, all as SQL inside the database (with --files, in DuckDB over the file ' +
    'output, after checking its manifests, sizes and checksums). Changes nothing. Exit 0 when every check ' +
    'passes, 1 when any fails, 2 on a usage, configuration or connection error.';

  static override examples = [
    '<%= config.bin %> validate',
    '<%= config.bin %> validate --db=postgres://postgres@127.0.0.1:5432/demo --junit=validation.xml',
    '<%= config.bin %> validate --json',
    '<%= config.bin %> validate --files=out/',
  ];

  static override flags = {
    db: dbFlag,
    files: filesFlag,
    junit: Flags.string({
      description: 'Also write the results as JUnit XML to FILE (for CI test reports).',
      helpValue: 'FILE',
    }),
  };

  async run(): Promise<ValidationReport> {
    const { flags } = await this.parse(Validate);
    refuseFilesWithDb(this.argv, flags.files);
    const report = flags.files
      ? await (await import('../files/validate-files.js')).validateFiles(flags.files)
      : await validateDatabase(flags.db ? { db: flags.db } : {});
    if (flags.junit) await writeJunitFile(flags.junit, report);
    if (!this.jsonEnabled()) process.stdout.write(renderText(report));
    // Not this.exit(1): that would throw before oclif prints the --json result.
    if (report.failed > 0) process.exitCode = 1;
    return report;
  }
}
