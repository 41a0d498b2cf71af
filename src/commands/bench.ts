import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../lib/base-command.js';
import { dbFlag, runFlags } from '../cli/run-flags.js';
import { UserError } from '../lib/errors.js';
import { bench, DEFAULT_BASELINE_HCPS } from '../bench/run.js';
import { renderBench } from '../bench/render.js';
import type { BenchResult } from '../bench/types.js';
import { makeDirs } from '../lib/make-dirs.js';

export default class Bench extends BaseCommand {
  static override description =
    'Benchmark generate against the ingest ceiling (COPY of the same rows) and a naive TypeORM baseline, in a ' +
    'scratch database that is dropped afterwards. Prints per-table rows/s, phases, peak RSS and the ratios, and ' +
    'writes them as JSON. With --files, measures the file sinks instead (generate --out into a scratch directory, ' +
    'then validate --files): rows/s, MiB written, files, peak RSS per format.';

  static override examples = [
    '<%= config.bin %> bench --hcps=50000 --db=postgres://postgres@127.0.0.1:5432/postgres',
    '<%= config.bin %> bench --embedded',
    '<%= config.bin %> bench --hcps=1000000 --skip-baseline --json',
    '<%= config.bin %> bench --hcps=50000 --files=both',
  ];

  static override flags = {
    ...runFlags,
    db: {
      ...dbFlag,
      description:
        'PostgreSQL server to benchmark on (any database on it; the bench creates and drops hcpgen_bench_<random>). ' +
        'Default: $DATABASE_URL, else the embedded database.',
    },
    files: Flags.string({
      description:
        'Benchmark the file output instead of a database: generate --out --format=parquet and/or csv (--no-validate) ' +
        'into a scratch directory, then validate --files on one output (parquet when measured). Not with --db or ' +
        '--embedded.',
      options: ['parquet', 'csv', 'both'],
    }),
    embedded: Flags.boolean({
      description: 'Benchmark the embedded database even if --db or DATABASE_URL is set.',
      default: false,
    }),
    workers: Flags.integer({
      description: 'Worker threads for generate (default: one per core).',
      min: 0,
      max: 64,
    }),
    'baseline-hcps': Flags.integer({
      description: `HCPs whose rows the naive baseline inserts (default: min(--hcps, ${DEFAULT_BASELINE_HCPS})).`,
      min: 1,
    }),
    validate: Flags.boolean({
      description:
        "Include generate's automatic validation, as a user's run does (--no-validate leaves it out). With " +
        '--files: measure validate --files after the writes (generate itself is timed without validation).',
      default: true,
      allowNo: true,
    }),
    'skip-ceiling': Flags.boolean({ description: 'Do not measure the ingest ceiling.', default: false }),
    'skip-baseline': Flags.boolean({ description: 'Do not measure the naive baseline.', default: false }),
    out: Flags.string({
      description:
        'Where to write the JSON result (default: bench-results/bench-<hcps>.json, with --files bench-files-<hcps>.json).',
      helpValue: 'FILE',
    }),
  };

  async run(): Promise<BenchResult> {
    const { flags } = await this.parse(Bench);
    const files = flags.files as 'parquet' | 'csv' | 'both' | undefined;
    // An exported DATABASE_URL is only a default: --files refuses an explicit --db or --embedded only.
    if (files && this.argv.some((a) => /^--(db|embedded)(=|$)/.test(a))) {
      throw new UserError(
        '--files benchmarks the file output, --db and --embedded a database: pass --files or a database, not both.',
      );
    }
    const controller = new AbortController();
    const onSignal = (signal: NodeJS.Signals): void => {
      if (controller.signal.aborted) process.exit(130);
      process.stderr.write(
        `\nhcpgen: ${signal} received, stopping the bench and removing its scratch ${files ? 'directory' : 'database'}.\n`,
      );
      controller.abort(new UserError(`bench interrupted by ${signal}.`, { exitCode: 130 }));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const result = await bench({
        scenario: flags.scenario,
        seed: flags.seed,
        hcps: flags.hcps,
        months: flags.months,
        asOf: flags['as-of'],
        db: flags.embedded || files ? undefined : flags.db,
        files,
        workers: flags.workers,
        baselineHcps: flags['baseline-hcps'],
        validate: flags.validate,
        skipCeiling: flags['skip-ceiling'],
        skipBaseline: flags['skip-baseline'],
        signal: controller.signal,
        ...(this.jsonEnabled() ? {} : { log: (line: string) => process.stderr.write(`${line}\n`) }),
      });
      const out =
        flags.out ?? path.join('bench-results', `bench-${files ? 'files-' : ''}${result.params.hcps}.json`);
      makeDirs(path.dirname(path.resolve(out)));
      await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
      if (!this.jsonEnabled()) process.stdout.write(renderBench(result));
      this.log(`Wrote ${out}.`);
      return result;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
