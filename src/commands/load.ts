import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../lib/base-command.js';
import { dbFlag } from '../cli/run-flags.js';
import { loadFiles } from '../files/load-files.js';
import type { GenerateResult } from '../generate/run.js';
import { validationHook } from '../validation/in-generate.js';
import { renderText } from '../validation/report.js';
import type { ValidationReport } from '../validation/types.js';
import { withInterrupt } from '../cli/interrupt.js';
import { reportFailedChecks, writeJunitFile } from '../cli/validation-output.js';

export default class Load extends BaseCommand {
  static override description =
    'Load a complete file output (every shard of `hcpgen generate --out DIR`) into PostgreSQL or the embedded ' +
    'database: COPY, keys, validation and one atomic swap, as `generate` does.';

  static override examples = [
    '<%= config.bin %> load ./out --db=postgres://postgres@127.0.0.1:5432/demo',
    '<%= config.bin %> load ./out --wipe',
  ];

  static override args = {
    dir: Args.string({
      description: 'The output directory (manifest.json or manifest-K-of-N.json files).',
      required: true,
    }),
  };

  static override flags = {
    db: dbFlag,
    wipe: Flags.boolean({
      description: "Replace the generator's existing data in the database.",
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
  };

  async run(): Promise<GenerateResult & { validation: ValidationReport | null }> {
    const { args, flags } = await this.parse(Load);
    const validation = flags.validate ? validationHook() : null;
    const print = this.jsonEnabled()
      ? undefined
      : (r: ValidationReport) => process.stdout.write(renderText(r));
    return withInterrupt('the load was rolled back and the database is as it was before.', (signal) =>
      reportFailedChecks({ junit: flags.junit, print }, async () => {
        const result = await loadFiles({
          dir: args.dir,
          ...(flags.db ? { db: flags.db } : {}),
          wipe: flags.wipe,
          force: flags.force,
          quiet: this.jsonEnabled(),
          signal,
          ...(validation ? { validate: validation.hook } : {}),
        });
        const report = validation?.report() ?? null;
        if (report) print?.(report);
        if (report && flags.junit) await writeJunitFile(flags.junit, report);
        this.log(result.message);
        return { ...result, validation: report };
      }),
    );
  }
}
