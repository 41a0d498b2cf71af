import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../lib/base-command.js';
import { dbFlag } from '../cli/run-flags.js';
import { UserError } from '../lib/errors.js';
import { loadFiles } from '../files/load-files.js';
import type { GenerateResult } from '../generate/run.js';
import { ValidationFailedError, validationHook } from '../validation/in-generate.js';
import { renderText } from '../validation/report.js';
import type { ValidationReport } from '../validation/types.js';
import { writeJunitFile } from './validate.js';

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
    const controller = new AbortController();
    const onSignal = (signal: NodeJS.Signals): void => {
      if (controller.signal.aborted) process.exit(130);
      controller.abort(
        new UserError(
          `interrupted by ${signal}: the load was rolled back and the database is as it was before.`,
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
      const result = await loadFiles({
        dir: args.dir,
        ...(flags.db ? { db: flags.db } : {}),
        wipe: flags.wipe,
        force: flags.force,
        quiet: this.jsonEnabled(),
        signal: controller.signal,
        ...(validation ? { validate: validation.hook } : {}),
      });
      const report = validation?.report() ?? null;
      if (report && !this.jsonEnabled()) process.stdout.write(renderText(report));
      if (report && flags.junit) await writeJunitFile(flags.junit, report);
      this.log(result.message);
      return { ...result, validation: report };
    } catch (err) {
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
}
