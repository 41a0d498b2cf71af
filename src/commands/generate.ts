import { Flags } from '@oclif/core';
import { BaseCommand } from '../lib/base-command.js';
import { dbFlag, runFlags } from '../cli/run-flags.js';
import { generate } from '../generate/run.js';
import type { GenerateJson } from '../cli/generate-json.js';
import { validationHook } from '../validation/in-generate.js';
import { validateDatabase } from '../validation/run.js';
import { renderText } from '../validation/report.js';
import type { ValidationReport } from '../validation/types.js';
import { withInterrupt } from '../cli/interrupt.js';
import { reportFailedChecks, writeJunitFile } from '../cli/validation-output.js';
import type { FilesResult, GenerateFilesOptions } from '../files/generate-files.js';
import type { Shard } from '../files/layout.js';

/** `--shard K/N`: 1 <= K <= N <= 10,000. */
async function parseShard(input: string): Promise<Shard> {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(input);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || count > 10_000 || index < 1 || index > count) {
    throw new UserError(`--shard must be K/N with 1 <= K <= N <= 10000 (shard K of N), got "${input}".`, {
      hint: 'For example --shard 1/4, --shard 2/4, --shard 3/4 and --shard 4/4 write the four shards of one run.',
    });
  }
  return { index, count };
}
import { UserError } from '../lib/errors.js';
import { seedDataDir } from '../fixtures/seed-data-flag.js';
import type { ReportResult } from '../report/build.js';
import { formatResult } from '../validation/report.js';
import { defaultWorkers } from '../db/target-choice.js';

export default class Generate extends BaseCommand {
  static override description =
    'Generate the seven tables from a scenario into PostgreSQL (or the embedded database), then validate them.';

  static override examples = [
    '<%= config.bin %> generate',
    '<%= config.bin %> generate --seed=42 --hcps=2500 --months=12 --wipe',
    '<%= config.bin %> generate --scenario=oncology-launch --months=24 --db=postgres://postgres@127.0.0.1:5432/demo',
    '<%= config.bin %> generate --validate-only',
    '<%= config.bin %> generate --scenario=./my-study.yaml --wipe --keep-failed',
    '<%= config.bin %> generate --seed-data=./my-fixtures --wipe',
    '<%= config.bin %> generate --hcps=1000000 --out=./out --format=parquet',
    '<%= config.bin %> generate --hcps=1000000 --out=./out --shard=2/4',
  ];

  static override flags = {
    ...runFlags,
    db: { ...dbFlag, exclusive: ['out'] },
    out: Flags.string({
      description:
        'Write files into DIR instead of a database: DIR/<table>/*.parquet (or .csv), manifest.json, schema.sql, dictionary.md.',
      helpValue: 'DIR',
    }),
    format: Flags.string({
      description: 'With --out: the file format (default parquet).',
      options: ['parquet', 'csv'],
    }),
    shard: Flags.custom<Shard>({
      description:
        'With --out: generate only shard K of N (HCPs split into N equal id ranges; campaigns and fixtures in shard 1).',
      helpValue: 'K/N',
      parse: parseShard,
    })(),
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
    'keep-failed': Flags.boolean({
      description:
        'When checks fail, keep the run instead of rolling it back: commit it marked failed in hcpgen_runs (with ' +
        '--out: manifest status failed) so you can look at it; still exits 1. Other errors still roll back.',
      default: false,
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
        'Worker threads generating rows (default: one per core, one fewer on the embedded database; 0 = main thread). Output is the same.',
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
    quiet: Flags.boolean({
      char: 'q',
      description: 'Print only failed checks and one summary line (no progress, no per-check lines).',
      default: false,
    }),
    report: Flags.string({
      description: 'After the run, write the HTML report of the data to FILE (as hcpgen report --out FILE).',
      helpValue: 'FILE',
    }),
  };

  async run(): Promise<GenerateJson | ValidationReport> {
    const { flags } = await this.parse(Generate);
    if (flags.format && !flags.out) {
      throw new UserError(
        `--format ${flags.format} chooses the format of a file output: use it with --out DIR (without --out the ` +
          'data goes into a database, which has no file format).',
      );
    }
    if (flags.shard && !flags.out) {
      throw new UserError(
        '--shard writes one shard of a file output: use it with --out DIR. To load the shards into PostgreSQL ' +
          'afterwards, run hcpgen load DIR --db URL.',
      );
    }
    if (flags.shard && flags.report) {
      throw new UserError(
        '--report describes a whole run, and --shard writes one shard of it: write the shards, then run ' +
          'hcpgen report --files DIR --out FILE.',
      );
    }
    if (flags['keep-failed'] && flags['validate-only']) {
      throw new UserError(
        '--keep-failed keeps a generated run whose checks fail, and --validate-only generates nothing: drop one of the two.',
      );
    }
    if (flags['keep-failed'] && !flags.validate) {
      throw new UserError(
        '--keep-failed keeps a run whose checks fail, and --no-validate runs no checks: drop one of the two ' +
          '(--no-validate alone already keeps the data, unchecked).',
      );
    }
    this.quiet = flags.quiet;
    if (flags['validate-only']) return this.validateOnly(flags.db, flags.junit, flags.out);
    const validation = flags.validate ? validationHook() : null;
    const outcome = flags.out
      ? `the unfinished files were removed and ${flags.out} is as it was before.`
      : 'the run was rolled back and the database is as it was before.';
    return withInterrupt(outcome, async (signal) => {
      const common = {
        scenario: flags.scenario,
        seed: flags.seed,
        hcps: flags.hcps,
        months: flags.months,
        asOf: flags['as-of'],
        wipe: flags.wipe,
        force: flags.force,
        keepFailed: flags['keep-failed'],
        workers: flags.workers ?? defaultWorkers({ db: flags.db, out: flags.out }),
        ...(flags['chunk-size'] ? { chunkSize: flags['chunk-size'] } : {}),
        quiet: this.jsonEnabled() || flags.quiet,
        seedData: seedDataDir(flags['seed-data'], flags['no-seed-data']),
        signal,
      };
      if (flags.out) {
        const format = (flags.format ?? 'parquet') as 'parquet' | 'csv';
        return this.toFiles(flags.out, format, flags.shard, flags, common);
      }
      return reportFailedChecks({ junit: flags.junit, print: this.printFailed() }, async () => {
        const result = await generate({
          ...common,
          ...(flags.db ? { db: flags.db } : {}),
          ...(validation ? { validate: validation.hook } : {}),
        });
        const report = validation?.report() ?? null;
        if (report && flags.junit) await writeJunitFile(flags.junit, report);
        const written = flags.report
          ? await this.writeReportFile(
              flags.report,
              { ...(flags.db ? { db: flags.db } : {}) },
              report,
              result,
            )
          : undefined;
        this.printOutcome(report, result.message, written);
        // Kept with failed checks (--keep-failed, now or by an earlier run): the data is there, its checks failed.
        if (result.kept) process.exitCode = 1;
        return { ...result, validation: report, ...(written ? { report: written } : {}) };
      });
    });
  }

  /** A failed check rolled the run back: the check lines go out before the error says so (not with --json). */
  private printFailed(): ((report: ValidationReport) => void) | undefined {
    return this.jsonEnabled() ? undefined : (report) => process.stdout.write(this.checkLines(report));
  }

  /** --out: files instead of a database; validated (when this process writes the whole run) before they land. */
  private async toFiles(
    out: string,
    format: 'parquet' | 'csv',
    shard: Shard | undefined,
    flags: { validate: boolean; junit?: string | undefined; report?: string | undefined },
    common: Omit<GenerateFilesOptions, 'out' | 'format'>,
  ): Promise<FilesResult> {
    // Loaded on demand: DuckDB's native module costs half a second to load, which database runs need not pay.
    const { generateFiles } = await import('../files/generate-files.js');
    const { validateFiles } = await import('../files/validate-files.js');
    return reportFailedChecks({ junit: flags.junit, print: this.printFailed() }, async () => {
      const result = await generateFiles({
        ...common,
        out,
        format,
        ...(shard ? { shard } : {}),
        ...(flags.validate ? { validate: (dir: string) => validateFiles(dir) } : {}),
      });
      const report = result.validation ?? null;
      if (report && flags.junit) await writeJunitFile(flags.junit, report);
      const written = flags.report
        ? await this.writeReportFile(flags.report, { files: out }, report, result)
        : undefined;
      this.printOutcome(report, result.message, written);
      if (result.kept) process.exitCode = 1;
      return { ...result, validation: report, ...(written ? { report: written } : {}) };
    });
  }

  private quiet = false;

  /** The per-check lines and the summary; with --quiet only the failed checks (the summary comes last). */
  private checkLines(report: ValidationReport): string {
    if (!this.quiet) return renderText(report);
    const width = Math.max(0, ...report.results.map((r) => r.name.length));
    const failed = report.results.filter((r) => r.status === 'fail').map((r) => formatResult(r, width));
    return failed.length > 0 ? `${failed.join('\n')}\n${report.summary}\n` : `${report.summary}\n`;
  }

  /** What a finished run prints: the checks then the message, or with --quiet one line holding both. */
  private printOutcome(
    report: ValidationReport | null,
    message: string,
    written: ReportResult | undefined,
  ): void {
    if (this.jsonEnabled()) return;
    const wrote = written ? ` Report: ${written.file}.` : '';
    if (this.quiet) {
      const failed = report ? report.results.filter((r) => r.status === 'fail') : [];
      const width = Math.max(0, ...failed.map((r) => r.name.length));
      for (const r of failed) this.log(formatResult(r, width));
      this.log(`${message}${report ? ` ${report.summary}.` : ''}${wrote}`);
      return;
    }
    if (report) process.stdout.write(renderText(report));
    this.log(message);
    if (written) this.log(`Wrote the report to ${written.file} (${Math.ceil(written.bytes / 1024)} KiB).`);
  }

  /** --report FILE: the report of what the run left (reusing its validation results when it has them). */
  private async writeReportFile(
    file: string,
    where: { db?: string; files?: string },
    validation: ValidationReport | null,
    result: { timings: { phases: Record<string, number>; totalSeconds: number }; status?: string },
  ): Promise<ReportResult> {
    if (!this.quiet && !this.jsonEnabled()) process.stderr.write(`hcpgen: writing the report to ${file}\n`);
    // Loaded on demand: the chart library costs about a second to load, which runs without --report need not pay.
    const { writeReport } = await import('../report/build.js');
    return writeReport(file, {
      ...where,
      ...(validation ? { validation } : {}),
      ...(result.status === 'exists' ? {} : { timings: result.timings }),
    });
  }

  /** --validate-only: the same as `hcpgen validate` (or `hcpgen validate --files DIR`), read-only. */
  private async validateOnly(
    db: string | undefined,
    junit: string | undefined,
    out?: string,
  ): Promise<ValidationReport> {
    const report = out
      ? await (await import('../files/validate-files.js')).validateFiles(out)
      : await validateDatabase(db ? { db } : {});
    if (junit) await writeJunitFile(junit, report);
    if (!this.jsonEnabled()) process.stdout.write(this.checkLines(report));
    if (report.failed > 0) process.exitCode = 1;
    return report;
  }
}
