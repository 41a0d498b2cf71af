import { Flags } from '@oclif/core';
import { dbFlag } from '../cli/run-flags.js';
import { BaseCommand } from '../lib/base-command.js';
import { DEFAULT_REPORT_FILE, writeReport, type ReportResult } from '../report/build.js';
import { refuseFilesWithDb } from '../cli/validation-output.js';

export default class Report extends BaseCommand {
  static override description =
    'Write an HTML report of the generated data: run metadata, row counts against the plan, every declared mix ' +
    'observed vs declared, deciles, channel mix by month, stimuli per HCP-month, response funnel and lags, Rx per ' +
    'product, engagement, geography, and the full validation table. One self-contained file (inline SVG charts, ' +
    'no network), built from SQL aggregates. Read-only.';

  static override examples = [
    '<%= config.bin %> report',
    '<%= config.bin %> report --out=report.html --db=postgres://postgres@127.0.0.1:5432/demo',
    '<%= config.bin %> report --files=out/ --out=out-report.html',
  ];

  static override flags = {
    db: dbFlag,
    files: Flags.string({
      description:
        'Report on the file output in DIR (what `hcpgen generate --out DIR` wrote) instead of a database.',
      helpValue: 'DIR',
    }),
    out: Flags.string({
      description: `The HTML file to write (default ${DEFAULT_REPORT_FILE}).`,
      helpValue: 'FILE',
      default: DEFAULT_REPORT_FILE,
    }),
  };

  async run(): Promise<ReportResult> {
    const { flags } = await this.parse(Report);
    refuseFilesWithDb(this.argv, flags.files);
    const result = await writeReport(flags.out, {
      ...(flags.files ? { files: flags.files } : flags.db ? { db: flags.db } : {}),
    });
    this.log(`Wrote ${result.file} (${Math.ceil(result.bytes / 1024)} KiB): ${result.validation.summary}.`);
    return result;
  }
}
